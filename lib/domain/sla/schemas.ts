import { z } from "zod";
import { slaReviewReasons } from "@/lib/db/schema";
import { businessCalendarSchema, isKnownTimeZone } from "@/lib/sla/calendar";
import { offHoursTemplateSchema } from "@/lib/sla/off-hours";
import { slaPolicySchema } from "@/lib/sla/policy";

const inboxId = z.uuid({ message: "inboxId must be a UUID" });

export const inboxIdInput = z.object({ inboxId });
export type InboxIdInput = z.input<typeof inboxIdInput>;

export const updateBusinessHoursInput = z.object({
  inboxId,
  calendar: businessCalendarSchema,
  offHoursReply: z
    .object({
      enabled: z.boolean({ message: "offHoursReply.enabled must be true or false" }),
      template: offHoursTemplateSchema,
    })
    .optional(),
});
export type UpdateBusinessHoursInput = z.input<typeof updateBusinessHoursInput>;

/** The whole of an inbox's SLA settings, as the admin page and `PUT /inboxes/:id/sla-settings` send them. */
export const saveInboxSlaSettingsInput = z.object({
  inboxId,
  calendar: businessCalendarSchema,
  policy: slaPolicySchema,
  offHoursReply: z.object(
    {
      enabled: z.boolean({ message: "offHoursReply.enabled must be true or false" }),
      template: offHoursTemplateSchema,
    },
    { message: "offHoursReply is { enabled, template }" },
  ),
});
export type SaveInboxSlaSettingsInput = z.input<typeof saveInboxSlaSettingsInput>;

export const updateSlaPolicyInput = z.object({ inboxId, policy: slaPolicySchema });
export type UpdateSlaPolicyInput = z.input<typeof updateSlaPolicyInput>;

/** An instant: ISO 8601 with an offset ("2026-03-02T00:00:00Z"), or a date meaning its UTC midnight. */
const instant = (name: string) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      message: `${name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time`,
    })
    .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value));

const MAX_PERIOD_DAYS = 366;

/** A reporting period [from, to), at most a year. */
export const periodInput = z
  .object({
    from: instant("from"),
    to: instant("to"),
    inboxId: inboxId.optional(),
  })
  .refine((period) => period.from.getTime() < period.to.getTime(), {
    message: "from must be before to",
    path: ["to"],
  })
  .refine((period) => period.to.getTime() - period.from.getTime() <= MAX_PERIOD_DAYS * 86_400_000, {
    message: `a period is at most ${MAX_PERIOD_DAYS} days`,
    path: ["to"],
  });

export const slaReportInput = periodInput.and(
  z.object({
    /** The zone whose calendar days "breaches per day" counts in (the viewer's, usually). */
    timeZone: z
      .string()
      .trim()
      .default("UTC")
      .refine((zone) => isKnownTimeZone(zone), {
        error: (issue) =>
          `"${String(issue.input)}" is not a known time zone: use an IANA name such as "Europe/London"`,
      }),
  }),
);
export type SlaReportInput = z.input<typeof slaReportInput>;
export type SlaExportInput = z.input<typeof periodInput>;

export const slaBoardInput = z.object({ inboxId: inboxId.optional() });
export type SlaBoardInput = z.input<typeof slaBoardInput>;

export const listBreachesInput = z.object({
  inboxId: inboxId.optional(),
  from: instant("from").optional(),
  to: instant("to").optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce
    .number({ message: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be between 1 and 100")
    .max(100, "limit must be between 1 and 100")
    .default(50),
});
export type ListBreachesInput = z.input<typeof listBreachesInput>;

export const reviewBreachInput = z.object({
  slaEventId: z.uuid({ message: "slaEventId must be a UUID" }),
  reason: z.enum(slaReviewReasons, {
    message: `reason must be one of ${slaReviewReasons.join(", ")}`,
  }),
  note: z
    .string({ message: "note must be text" })
    .trim()
    .min(1, "add a short note saying what happened")
    .max(2000, "a note has at most 2000 characters"),
  /** Hands the conversation to a teammate of its inbox in the same change (null: to nobody). */
  assigneeId: z.uuid({ message: "assigneeId must be a UUID or null" }).nullable().optional(),
});
export type ReviewBreachInput = z.input<typeof reviewBreachInput>;
