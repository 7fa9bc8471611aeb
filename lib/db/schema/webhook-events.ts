import { bigint, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";

/** Every signed webhook body exactly as received, written before anything derived from it. */
export const webhookEvents = pgTable("webhook_events", {
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
});

export type WebhookEvent = typeof webhookEvents.$inferSelect;
