import { sql } from "drizzle-orm";
import { createdAt, searchGinOptions, timestamptz, updatedAt } from "./columns";
import { index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { inboxes } from "./inboxes";

/** A WhatsApp customer of one inbox, keyed by wa_id or, for username users, Meta's user id. */
export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    waId: text("wa_id"),
    /** Business-scoped user id, sent when the customer uses a username and wa_id may be empty. */
    waUserId: text("wa_user_id"),
    profileName: text("profile_name"),
    phone: text("phone"),
    anonymizedAt: timestamptz("anonymized_at"),
    /** The last off-hours auto-reply sent to this customer: one per closed period. */
    lastAutoReplyAt: timestamptz("last_auto_reply_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("contacts_inbox_wa_id_key")
      .on(table.inboxId, table.waId)
      .where(sql`${table.waId} is not null`),
    uniqueIndex("contacts_inbox_wa_user_id_key")
      .on(table.inboxId, table.waUserId)
      .where(sql`${table.waUserId} is not null`),
    // The conversation search by customer name (pg_trgm, migration 0012).
    index("contacts_profile_name_trgm_idx")
      .using("gin", table.profileName.op("gin_trgm_ops"))
      .with(searchGinOptions),
    // The same search by phone digits: without these an OR with the name scans every contact.
    index("contacts_wa_id_trgm_idx").using("gin", table.waId.op("gin_trgm_ops")).with(searchGinOptions),
    index("contacts_phone_trgm_idx").using("gin", table.phone.op("gin_trgm_ops")).with(searchGinOptions),
  ],
);

export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;
