import { sql } from "drizzle-orm";
import {
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { slaClocks, slaKinds } from "../../sla/policy";
import { createdAt, enumCheck, timestamptz, updatedAt } from "./columns";
import { conversations } from "./conversations";
import { inboxes } from "./inboxes";
import { users } from "./users";

/** Why a breach happened, as the supervisor who reviewed it judged. */
export const slaReviewReasons = [
  "staffing",
  "complex_case",
  "customer_delay",
  "tool_problem",
  "other",
] as const;
export type SlaReviewReason = (typeof slaReviewReasons)[number];

/**
 * One response clock: started by a customer message, met by an agent's reply, stopped when the
 * conversation is resolved first. A clock is running while met_at and stopped_at are both null;
 * breached_at is set (once) when Parley noticed it was past due, and the clock keeps running until
 * the reply. The running clock is also copied onto its conversation (conversations.sla_*).
 */
export const slaEvents = pgTable(
  "sla_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: slaKinds }).notNull(),
    /** When the customer's message arrived. Deadlines are recomputed from it when settings change. */
    startedAt: timestamptz("started_at").notNull(),
    /** When the clock began counting: the next opening on the business-hours clock. */
    clockStartedAt: timestamptz("clock_started_at").notNull(),
    dueAt: timestamptz("due_at").notNull(),
    /** From this instant on (exclusive) the clock is at risk: what is left is under the threshold. */
    atRiskAt: timestamptz("at_risk_at").notNull(),
    /** The policy's target and clock when the deadline was (last) computed. */
    targetMinutes: integer("target_minutes").notNull(),
    clock: text("clock", { enum: slaClocks }).notNull(),
    metAt: timestamptz("met_at"),
    metBy: uuid("met_by").references(() => users.id, { onDelete: "set null" }),
    /** Arrival to reply on the policy's clock (business minutes on business hours), for reports. */
    responseMinutes: doublePrecision("response_minutes"),
    /** The conversation was resolved before anyone replied. */
    stoppedAt: timestamptz("stopped_at"),
    /** When Parley recorded the breach: the ticker's tick, or the late reply or resolve if first. */
    breachedAt: timestamptz("breached_at"),
    reviewedAt: timestamptz("reviewed_at"),
    reviewedBy: uuid("reviewed_by").references(() => users.id, { onDelete: "set null" }),
    reviewReason: text("review_reason", { enum: slaReviewReasons }),
    reviewNote: text("review_note"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    enumCheck("sla_events_kind_check", table.kind, slaKinds),
    enumCheck("sla_events_clock_check", table.clock, slaClocks),
    enumCheck("sla_events_review_reason_check", table.reviewReason, slaReviewReasons),
    check(
      "sla_events_review_complete_check",
      sql`(${table.reviewedAt} is null) = (${table.reviewReason} is null)`,
    ),
    check(
      "sla_events_review_needs_breach_check",
      sql`${table.reviewedAt} is null or ${table.breachedAt} is not null`,
    ),
    // At most one running clock per conversation; concurrent starts settle on it (ON CONFLICT).
    uniqueIndex("sla_events_one_running_per_conversation_key")
      .on(table.conversationId)
      .where(sql`${table.metAt} is null and ${table.stoppedAt} is null`),
    // The ticker: running clocks not yet marked, by deadline.
    index("sla_events_ticker_idx")
      .on(table.dueAt)
      .where(sql`${table.metAt} is null and ${table.stoppedAt} is null and ${table.breachedAt} is null`),
    // The board and recomputation: an inbox's running clocks.
    index("sla_events_running_idx")
      .on(table.inboxId, table.dueAt)
      .where(sql`${table.metAt} is null and ${table.stoppedAt} is null`),
    // The review queue: breaches nobody has acknowledged yet.
    index("sla_events_review_queue_idx")
      .on(table.inboxId, table.breachedAt.desc())
      .where(sql`${table.breachedAt} is not null and ${table.reviewedAt} is null`),
    // Reports: an inbox's clocks by arrival.
    index("sla_events_inbox_started_idx").on(table.inboxId, table.startedAt),
    index("sla_events_conversation_idx").on(table.conversationId, table.startedAt),
  ],
);

export type SlaEvent = typeof slaEvents.$inferSelect;
export type NewSlaEvent = typeof slaEvents.$inferInsert;
