import { sql } from "drizzle-orm";
import { createdAt, timestamptz, updatedAt, enumCheck } from "./columns";
import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { slaKinds } from "../../sla/policy";
import { contacts } from "./contacts";
import { inboxes } from "./inboxes";
import { users } from "./users";

export const conversationStatuses = ["open", "pending", "resolved"] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    status: text("status", { enum: conversationStatuses }).notNull().default("open"),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    lastInboundAt: timestamptz("last_inbound_at"),
    lastOutboundAt: timestamptz("last_outbound_at"),
    lastMessageAt: timestamptz("last_message_at").notNull().defaultNow(),
    lastMessagePreview: text("last_message_preview"),
    /** Customer-service window: last customer message + 24 h. Only templates after it. */
    windowExpiresAt: timestamptz("window_expires_at"),
    /** When the customer started waiting for an answer; null when the business spoke last. */
    waitingSince: timestamptz("waiting_since"),
    unreadCount: integer("unread_count").notNull().default(0),
    resolvedAt: timestamptz("resolved_at"),
    /** The retention sweeper removed this resolved conversation's contents. */
    contentsRedactedAt: timestamptz("contents_redacted_at"),
    // The running response clock, copied from sla_events so the list can badge and filter
    // without a join; all null when no clock runs. sla_started_at is when the clock began counting.
    slaKind: text("sla_kind", { enum: slaKinds }),
    slaStartedAt: timestamptz("sla_started_at"),
    slaDueAt: timestamptz("sla_due_at"),
    slaAtRiskAt: timestamptz("sla_at_risk_at"),
    slaBreachedAt: timestamptz("sla_breached_at"),
    /** An agent replied since the conversation was (re)opened: the next customer message starts a next-response clock. */
    slaRepliedAt: timestamptz("sla_replied_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    enumCheck("conversations_status_check", table.status, conversationStatuses),
    enumCheck("conversations_sla_kind_check", table.slaKind, slaKinds),
    // One conversation that is not resolved per contact per inbox.
    uniqueIndex("conversations_one_active_per_contact_key")
      .on(table.inboxId, table.contactId)
      .where(sql`${table.status} <> 'resolved'`),
    index("conversations_inbox_activity_idx").on(
      table.inboxId,
      table.status,
      table.lastMessageAt.desc(),
      table.id.desc(),
    ),
    // The list's default order (lib/domain/conversations/list.ts): waiting customers first, the
    // longest wait on top, then everyone else by latest activity. A page reads it in index order.
    index("conversations_waiting_order_idx").on(
      sql`(${table.waitingSince} is null)`,
      table.waitingSince.asc(),
      sql`(case when ${table.waitingSince} is null then ${table.lastMessageAt} end) desc`,
      sql`${table.id} desc`,
    ),
    index("conversations_assignee_idx").on(table.assigneeId, table.status),
    index("conversations_contact_idx").on(table.contactId),
    // The retention sweeper: resolved conversations, oldest first.
    index("conversations_resolved_idx")
      .on(table.resolvedAt)
      .where(sql`${table.status} = 'resolved'`),
    // The list's SLA filter: conversations of an inbox with a running clock.
    index("conversations_sla_due_idx")
      .on(table.inboxId, table.slaDueAt)
      .where(sql`${table.slaDueAt} is not null`),
  ],
);

export type Conversation = typeof conversations.$inferSelect;
export type NewConversation = typeof conversations.$inferInsert;
