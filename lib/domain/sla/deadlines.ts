import type { BusinessCalendar } from "@/lib/sla/calendar";
import {
  clockMinutesBetween,
  clockStartsAt,
  computeDueAt,
  targetMinutesFor,
  type SlaClock,
  type SlaKind,
  type SlaPolicy,
} from "@/lib/sla/policy";
import { atRiskStartsAt } from "@/lib/sla/state";

export interface Deadline {
  clockStartedAt: Date;
  dueAt: Date;
  atRiskAt: Date;
  targetMinutes: number;
  clock: SlaClock;
}

/** Everything stored with a clock, from the customer message's arrival and the inbox's settings. */
export function deadlineFor({
  arrivedAt,
  kind,
  calendar,
  policy,
}: {
  arrivedAt: Date;
  kind: SlaKind;
  calendar: BusinessCalendar;
  policy: SlaPolicy;
}): Deadline {
  const clockStartedAt = clockStartsAt({ arrivedAt, calendar, policy });
  const dueAt = computeDueAt({ arrivedAt, calendar, policy, kind });
  return {
    clockStartedAt,
    dueAt,
    atRiskAt: atRiskStartsAt({ clockStartedAt, dueAt, calendar, policy }),
    targetMinutes: targetMinutesFor(policy, kind),
    clock: policy.clock,
  };
}

/**
 * How long the customer waited, on the clock the deadline was computed with (business minutes on
 * business hours), measured from arrival so an answer before the business opened counts as zero.
 */
export function responseMinutes({
  arrivedAt,
  repliedAt,
  calendar,
  policy,
  clock,
}: {
  arrivedAt: Date;
  repliedAt: Date;
  calendar: BusinessCalendar;
  policy: SlaPolicy;
  clock: SlaClock;
}): number {
  const minutes = clockMinutesBetween({
    calendar,
    policy: { ...policy, clock },
    from: arrivedAt,
    to: repliedAt,
  });
  return Math.max(0, minutes);
}
