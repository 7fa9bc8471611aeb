import { sql } from "drizzle-orm";
import { createdAt, searchGinOptions, timestamptz, enumCheck } from "./columns";
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { conversations } from "./conversations";
import { inboxes } from "./inboxes";
import { users } from "./users";

export const messageDirections = ["inbound", "outbound"] as const;
export type MessageDirection = (typeof messageDirections)[number];

export const messageAuthorKinds = ["contact", "agent", "system"] as const;
export type MessageAuthorKind = (typeof messageAuthorKinds)[number];

/** Delivery states in the order they may be reached; `failed` is final. */
export const messageStatuses = ["received", "queued", "sent", "delivered", "read", "failed"] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    direction: text("direction", { enum: messageDirections }).notNull(),
    authorKind: text("author_kind", { enum: messageAuthorKinds }).notNull(),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    /** WhatsApp message type (text, image, …, unsupported) or `note` for private notes. */
    type: text("type").notNull(),
    body: text("body"),
    /** The message as WhatsApp described it (media ids, location, contacts, …). */
    payload: jsonb("payload").$type<Record<string, unknown>>(),
    wamid: text("wamid"),
    status: text("status", { enum: messageStatuses }).notNull(),
    errorCode: integer("error_code"),
    errorTitle: text("error_title"),
    /** Why a send failed, in a sentence an agent can act on (errorTitle keeps Meta's words). */
    failureReason: text("failure_reason"),
    isPrivateNote: boolean("is_private_note").notNull().default(false),
    replyToWamid: text("reply_to_wamid"),
    /** A failed send an agent retried points at the message that replaced it (retried once only). */
    retriedByMessageId: uuid("retried_by_message_id").references((): AnyPgColumn => messages.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
    statusUpdatedAt: timestamptz("status_updated_at"),
    /** Contents removed by an erasure or the retention sweeper; counts and timestamps stay. */
    redactedAt: timestamptz("redacted_at"),
  },
  (table) => [
    enumCheck("messages_direction_check", table.direction, messageDirections),
    enumCheck("messages_author_kind_check", table.authorKind, messageAuthorKinds),
    enumCheck("messages_status_check", table.status, messageStatuses),
    // Meta delivers at least once: a wamid is stored once per inbox however often it arrives.
    uniqueIndex("messages_inbox_wamid_key")
      .on(table.inboxId, table.wamid)
      .where(sql`${table.wamid} is not null`),
    index("messages_conversation_created_idx").on(
      table.conversationId,
      table.createdAt.desc(),
      table.id.desc(),
    ),
    // The conversation search: ILIKE '%…%' on message text (pg_trgm, migration 0012).
    index("messages_body_trgm_idx").using("gin", table.body.op("gin_trgm_ops")).with(searchGinOptions),
  ],
);

export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** Statuses WhatsApp reports; `played` (voice) is recorded as `read`. */
export const deliveryStatuses = ["sent", "delivered", "read", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * Statuses that arrived before the send that produced their wamid was recorded (Meta may report
 * "sent" before its own API answer reaches us). The sender applies them when it stores the wamid.
 */
export const pendingMessageStatuses = pgTable(
  "pending_message_statuses",
  {
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    wamid: text("wamid").notNull(),
    status: text("status", { enum: deliveryStatuses }).notNull(),
    occurredAt: timestamptz("occurred_at").notNull(),
    errorCode: integer("error_code"),
    errorTitle: text("error_title"),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.inboxId, table.wamid, table.status] }),
    enumCheck("pending_message_statuses_status_check", table.status, deliveryStatuses),
    index("pending_message_statuses_created_idx").on(table.createdAt),
  ],
);

export type PendingMessageStatus = typeof pendingMessageStatuses.$inferSelect;
