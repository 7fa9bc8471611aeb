import {
  bigint,
  customType,
  integer,
  index,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, enumCheck, timestamptz, updatedAt } from "./columns";

/**
 * The simulator's state lives in the database, not in memory, so every route bundle and every
 * instance sees the same failure switch and the same customer phone.
 */

/** How the Graph API stand-in answers the next sends. */
export const simulatorFailureKinds = [
  "none",
  /** HTTP 500 with Meta's generic error. */
  "server_error",
  /** No answer at all until the client gives up. */
  "timeout",
  /** The message is accepted, then the answer is lost (the client times out). */
  "accept_then_timeout",
  /** A synchronous Graph error with `failureCode` (130429 throughput, 131056 pair rate, 190 token…). */
  "graph_error",
  /** Accepted, then a `failed` status webhook with `failureCode` (131047 window closed, 131026…). */
  "failed_status",
  /** The connection is cut before any answer; nothing is recorded. */
  "drop_connection",
  /** The message is accepted, then the connection is cut mid-answer. */
  "accept_then_drop",
] as const;
export type SimulatorFailureKind = (typeof simulatorFailureKinds)[number];

export const simulatorSettings = pgTable(
  "simulator_settings",
  {
    key: text("key").primaryKey(),
    failureKind: text("failure_kind", { enum: simulatorFailureKinds }).notNull().default("none"),
    failureCode: integer("failure_code"),
    /** How many more sends fail; null while the switch stays on until turned off. */
    failuresRemaining: integer("failures_remaining"),
    updatedAt: updatedAt(),
  },
  (table) => [enumCheck("simulator_settings_failure_kind_check", table.failureKind, simulatorFailureKinds)],
);

export const simulatorDirections = ["to_business", "to_customer"] as const;
export type SimulatorDirection = (typeof simulatorDirections)[number];

/**
 * to_business: sending → sent (the webhook was acknowledged) → read (the business marked it read),
 * or failed. to_customer: accepted → sent → delivered → read, or failed.
 */
export const simulatorMessageStatuses = [
  "sending",
  "accepted",
  "sent",
  "delivered",
  "read",
  "failed",
] as const;
export type SimulatorMessageStatus = (typeof simulatorMessageStatuses)[number];

/** What the simulated customer's phone shows: their messages and the business's. */
export const simulatorMessages = pgTable(
  "simulator_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Chat order, also for messages written in the same millisecond. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    /** The business number (Meta's phone_number_id). */
    phoneNumberId: text("phone_number_id").notNull(),
    /** The customer's wa_id (digits) or business-scoped user id. */
    customer: text("customer").notNull(),
    customerName: text("customer_name"),
    direction: text("direction", { enum: simulatorDirections }).notNull(),
    wamid: text("wamid").notNull(),
    /** Outbound sends only: the client's Idempotency-Key, so a retried send is recorded once. */
    idempotencyKey: text("idempotency_key"),
    type: text("type").notNull(),
    body: text("body"),
    payload: jsonb("payload").$type<Record<string, unknown>>(),
    status: text("status", { enum: simulatorMessageStatuses }).notNull(),
    /** A failure to report by status webhook instead of progressing (131047, 131026…). */
    failCode: integer("fail_code"),
    error: text("error"),
    /** When the stand-in next reports progress on an outbound message by webhook. */
    nextStatusAt: timestamptz("next_status_at"),
    createdAt: createdAt(),
  },
  (table) => [
    enumCheck("simulator_messages_direction_check", table.direction, simulatorDirections),
    enumCheck("simulator_messages_status_check", table.status, simulatorMessageStatuses),
    uniqueIndex("simulator_messages_wamid_key").on(table.wamid),
    uniqueIndex("simulator_messages_idempotency_key").on(table.idempotencyKey),
    index("simulator_messages_chat_idx").on(table.phoneNumberId, table.customer, table.seq),
    index("simulator_messages_due_idx").on(table.nextStatusAt),
  ],
);

/** Raw bytes; postgres.js returns a Buffer and PGlite a Uint8Array, both read as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
  toDriver: (value) => value,
});

/** Files the stand-in serves as WhatsApp media (customer uploads, business uploads). */
export const simulatorMedia = pgTable("simulator_media", {
  id: text("id").primaryKey(),
  mimeType: text("mime_type").notNull(),
  filename: text("filename"),
  sha256: text("sha256").notNull(),
  data: bytea("data").notNull(),
  createdAt: createdAt(),
});

export type SimulatorSettings = typeof simulatorSettings.$inferSelect;
export type SimulatorMessage = typeof simulatorMessages.$inferSelect;
export type SimulatorMedia = typeof simulatorMedia.$inferSelect;
