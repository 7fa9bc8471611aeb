import { sql } from "drizzle-orm";
import { index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { inboxes } from "./inboxes";
import { users } from "./users";

/** A polite, reusable answer; `inbox_id` null means it is offered in every inbox. */
export const cannedReplies = pgTable(
  "canned_replies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    inboxId: uuid("inbox_id").references(() => inboxes.id, { onDelete: "cascade" }),
    /** What the agent types after `/`, lower-case letters, digits and dashes. */
    shortcut: text("shortcut").notNull(),
    title: text("title").notNull(),
    /** Text with {{variables}} such as {{contact.first_name}} and {{agent.name}}. */
    body: text("body").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("canned_replies_global_shortcut_key")
      .on(table.shortcut)
      .where(sql`${table.inboxId} is null`),
    uniqueIndex("canned_replies_inbox_shortcut_key")
      .on(table.inboxId, table.shortcut)
      .where(sql`${table.inboxId} is not null`),
    index("canned_replies_inbox_idx").on(table.inboxId),
  ],
);

export type CannedReply = typeof cannedReplies.$inferSelect;
export type NewCannedReply = typeof cannedReplies.$inferInsert;
