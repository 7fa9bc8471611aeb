import { boolean, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import type { BusinessCalendar } from "../../sla/calendar";
import type { SlaPolicy } from "../../sla/policy";
import { updatedAt } from "./columns";
import { inboxes } from "./inboxes";
import { users } from "./users";

/**
 * An inbox's business calendar, SLA policy and off-hours reply. Calendar and policy are stored as
 * validated by lib/sla's schemas (and re-validated when read); a missing row or null column means
 * the default: Monday to Friday 09:00–18:00 in the inbox's time zone, 24 hours on business hours.
 */
export const inboxSlaSettings = pgTable("inbox_sla_settings", {
  inboxId: uuid("inbox_id")
    .primaryKey()
    .references(() => inboxes.id, { onDelete: "cascade" }),
  calendar: jsonb("calendar").$type<BusinessCalendar>(),
  policy: jsonb("policy").$type<SlaPolicy>(),
  offHoursReplyEnabled: boolean("off_hours_reply_enabled").notNull().default(true),
  /** The reply's text with {{variables}}; null means the default text. */
  offHoursReplyTemplate: text("off_hours_reply_template"),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: updatedAt(),
});

export type InboxSlaSettingsRow = typeof inboxSlaSettings.$inferSelect;
