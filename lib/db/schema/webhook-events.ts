import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";

/**
 * Every signed webhook body exactly as received (card numbers masked), written before anything
 * derived from it. The webhook is acknowledged once this row commits; `processed_at` is set when
 * the messages, statuses and the rest derived from it have been stored (see docs/architecture.md).
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    source: text("source").notNull().default("whatsapp"),
    /** The raw body; signatures cover these bytes, so it is never re-serialized. */
    rawBody: text("raw_body").notNull(),
    signature: text("signature"),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
    processedAt: timestamptz("processed_at"),
    error: text("error"),
    /** What was noticed but not stored as a message: unknown numbers, other fields, value errors. */
    notes: jsonb("notes").$type<string[]>(),
  },
  (table) => [
    // The queue of acknowledged events still to process, taken oldest first.
    index("webhook_events_unprocessed_idx")
      .on(table.id)
      .where(sql`${table.processedAt} is null`),
  ],
);

export type WebhookEvent = typeof webhookEvents.$inferSelect;
