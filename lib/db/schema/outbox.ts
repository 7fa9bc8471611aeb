import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { consentPurposes } from "../../policy/consent";
import { createdAt, enumCheck, timestamptz, updatedAt } from "./columns";
import { conversations } from "./conversations";
import { inboxes } from "./inboxes";
import { messages } from "./messages";

/** What a row asks the Graph API to do. */
export const outboxKinds = ["send_message", "mark_read"] as const;
export type OutboxKind = (typeof outboxKinds)[number];

/** queued → in_flight → done, or back to queued for a retry, or failed for good. */
export const outboxStatuses = ["queued", "in_flight", "done", "failed"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * Calls to the Graph API waiting to be made, written in the same transaction as the message they
 * carry. The row id is the idempotency key: one row is never sent twice once a send succeeded.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Insertion order: two sends written in the same millisecond still leave in the order written. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    kind: text("kind", { enum: outboxKinds }).notNull(),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    /** The Graph API request body, fixed when queued so every attempt sends exactly the same thing. */
    request: jsonb("request").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: outboxStatuses }).notNull().default("queued"),
    /** What the send is for; the sender re-checks consent for it just before calling WhatsApp. */
    purpose: text("purpose", { enum: consentPurposes }).notNull().default("service"),
    /** The one confirmation of an opt-out, the only message allowed after it. */
    isOptOutConfirmation: boolean("is_opt_out_confirmation").notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    /**
     * When the row is next due: the retry time while queued, the lease expiry while in flight (a
     * worker that dies mid-send leaves its rows to be claimed again once the lease runs out).
     */
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamptz("completed_at"),
  },
  (table) => [
    enumCheck("outbox_kind_check", table.kind, outboxKinds),
    enumCheck("outbox_status_check", table.status, outboxStatuses),
    enumCheck("outbox_purpose_check", table.purpose, consentPurposes),
    index("outbox_due_idx")
      .on(table.nextAttemptAt)
      .where(sql`${table.status} in ('queued', 'in_flight')`),
    // Sends to one customer leave in the order they were written.
    index("outbox_conversation_pending_idx")
      .on(table.conversationId, table.seq)
      .where(sql`${table.status} in ('queued', 'in_flight')`),
    index("outbox_message_idx").on(table.messageId),
  ],
);

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;
