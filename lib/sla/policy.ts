import { z } from "zod";
import { addBusinessMinutes, businessMinutesBetween, nextOpening } from "./business-time";
import { type BusinessCalendar } from "./calendar";
import { MINUTE_MS } from "./zone";

/**
 * An inbox's SLA policy: how long the team has to answer, and on which clock. On the business-hours
 * clock time counts only while the business is open; on the calendar clock every minute counts.
 */

export const slaClocks = ["business_hours", "calendar"] as const;
export type SlaClock = (typeof slaClocks)[number];

/** First response: a customer opens (or reopens) a conversation. Next response: writes again after our reply. */
export const slaKinds = ["first_response", "next_response"] as const;
export type SlaKind = (typeof slaKinds)[number];

export const DEFAULT_TARGET_MINUTES = 24 * 60;
/** Thirty days: beyond that a promise is not a response time. */
export const MAX_TARGET_MINUTES = 30 * 24 * 60;

function targetMinutes(label: string) {
  return z
    .number({ message: `the ${label} target must be a number of minutes` })
    .int({
      error: (issue) => `the ${label} target must be a whole number of minutes (got ${String(issue.input)})`,
    })
    .positive({
      error: (issue) => `the ${label} target must be more than zero minutes (got ${String(issue.input)})`,
    })
    .max(MAX_TARGET_MINUTES, {
      error: (issue) =>
        `the ${label} target must be at most ${MAX_TARGET_MINUTES} minutes (30 days) (got ${String(issue.input)})`,
    })
    .default(DEFAULT_TARGET_MINUTES);
}

export const slaPolicySchema = z.object({
  firstResponseMinutes: targetMinutes("first-response"),
  nextResponseMinutes: targetMinutes("next-response"),
  clock: z
    .enum(slaClocks, { message: 'the clock must be "business_hours" or "calendar"' })
    .default("business_hours"),
});
export type SlaPolicy = z.output<typeof slaPolicySchema>;
export type SlaPolicyInput = z.input<typeof slaPolicySchema>;

/** 24 hours for each response, on the business-hours clock. */
export function defaultSlaPolicy(): SlaPolicy {
  return slaPolicySchema.parse({});
}

export function targetMinutesFor(policy: SlaPolicy, kind: SlaKind): number {
  return kind === "first_response" ? policy.firstResponseMinutes : policy.nextResponseMinutes;
}

/** When the clock starts for a message that arrived at `arrivedAt`: the next opening on business hours. */
export function clockStartsAt({
  arrivedAt,
  calendar,
  policy,
}: {
  arrivedAt: Date;
  calendar: BusinessCalendar;
  policy: SlaPolicy;
}): Date {
  return policy.clock === "business_hours" ? nextOpening(calendar, arrivedAt) : new Date(arrivedAt);
}

/** The response deadline for a customer message that arrived at `arrivedAt`. */
export function computeDueAt({
  arrivedAt,
  calendar,
  policy,
  kind,
}: {
  arrivedAt: Date;
  calendar: BusinessCalendar;
  policy: SlaPolicy;
  kind: SlaKind;
}): Date {
  const valid = slaPolicySchema.parse(policy);
  const target = targetMinutesFor(valid, kind);
  if (valid.clock === "calendar") {
    if (Number.isNaN(arrivedAt.getTime())) throw new RangeError("arrivedAt is not a valid date");
    return new Date(arrivedAt.getTime() + target * MINUTE_MS);
  }
  return addBusinessMinutes(calendar, clockStartsAt({ arrivedAt, calendar, policy: valid }), target);
}

/** Minutes between two instants as the policy's clock counts them; negative when `to` is before `from`. */
export function clockMinutesBetween({
  calendar,
  policy,
  from,
  to,
}: {
  calendar: BusinessCalendar;
  policy: SlaPolicy;
  from: Date;
  to: Date;
}): number {
  if (policy.clock === "calendar") return (to.getTime() - from.getTime()) / MINUTE_MS;
  return businessMinutesBetween(calendar, from, to);
}
