import { bigint, boolean, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, enumCheck, timestamptz, updatedAt } from "./columns";
import { contacts } from "./contacts";
import { messages } from "./messages";
import { users } from "./users";

/** The one row of privacy settings (key `default`); retention and the keeping of masked originals. */
export const privacySettings = pgTable(
  "privacy_settings",
  {
    key: text("key").primaryKey().default("default"),
    /** Resolved conversations keep their contents this many days; null keeps them forever. */
    retentionDays: integer("retention_days"),
    /** Whether the original text of a masked inbound secret is kept (for `messages.reveal_original`). */
    keepMaskedOriginals: boolean("keep_masked_originals").notNull().default(false),
    /** How long a kept original lives. */
    maskedOriginalDays: integer("masked_original_days").notNull().default(7),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: updatedAt(),
  },
  (table) => [
    check(
      "privacy_settings_retention_days_check",
      sql`${table.retentionDays} is null or ${table.retentionDays} between 1 and 36500`,
    ),
    check("privacy_settings_masked_original_days_check", sql`${table.maskedOriginalDays} between 1 and 365`),
  ],
);
export type PrivacySettings = typeof privacySettings.$inferSelect;

/** The unmasked text of an inbound message whose secrets were masked at ingest; kept only when allowed. */
export const messageOriginals = pgTable(
  "message_originals",
  {
    messageId: uuid("message_id")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    body: text("body"),
    /** The unmasked payload as WhatsApp sent it. */
    payload: jsonb("payload").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (table) => [index("message_originals_expires_idx").on(table.expiresAt)],
);
export type MessageOriginal = typeof messageOriginals.$inferSelect;

export const dataRequestKinds = ["access", "correction", "export", "erasure"] as const;
export type DataRequestKind = (typeof dataRequestKinds)[number];

/** Every customer data-rights request carried out: who, when, what and why. */
export const dataRequests = pgTable(
  "data_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    kind: text("kind", { enum: dataRequestKinds }).notNull(),
    reason: text("reason"),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** Counts and formats, never personal data (it outlives an erasure). */
    details: jsonb("details").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (table) => [
    enumCheck("data_requests_kind_check", table.kind, dataRequestKinds),
    index("data_requests_contact_idx").on(table.contactId, table.createdAt.desc()),
  ],
);
export type DataRequest = typeof dataRequests.$inferSelect;

/** One pass of the retention sweeper, as shown on /admin/privacy. */
export const retentionRuns = pgTable(
  "retention_runs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    startedAt: timestamptz("started_at").notNull(),
    finishedAt: timestamptz("finished_at"),
    retentionDays: integer("retention_days"),
    conversationsRedacted: integer("conversations_redacted").notNull().default(0),
    messagesRedacted: integer("messages_redacted").notNull().default(0),
    originalsDeleted: integer("originals_deleted").notNull().default(0),
    batches: integer("batches").notNull().default(0),
    error: text("error"),
  },
  (table) => [index("retention_runs_started_idx").on(table.startedAt.desc())],
);
export type RetentionRun = typeof retentionRuns.$inferSelect;
