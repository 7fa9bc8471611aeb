import { addBusinessMinutes, nextOpening } from "./business-time";
import { type BusinessCalendar } from "./calendar";
import { clockMinutesBetween, type SlaPolicy } from "./policy";
import { DAY_MS, MINUTE_MS } from "./zone";

export const slaStates = ["on_track", "at_risk", "breached"] as const;
export type SlaState = (typeof slaStates)[number];

export const AT_RISK_SHARE = 0.25;
export const AT_RISK_CAP_MINUTES = 120;

/** At risk below 25 % of the target or 2 hours left, whichever is less. */
export function atRiskThresholdMinutes(targetMinutes: number): number {
  return Math.min(AT_RISK_SHARE * targetMinutes, AT_RISK_CAP_MINUTES);
}

/**
 * Where a running clock stands at `now`. The target is the clock time from start to due (so a
 * deadline computed under an earlier policy keeps its own target), measured on the policy's clock.
 * A response at `dueAt` itself is on time: breached means `now` is past `dueAt`.
 */
export function slaState({
  startedAt,
  dueAt,
  now,
  calendar,
  policy,
}: {
  startedAt: Date;
  dueAt: Date;
  now: Date;
  calendar: BusinessCalendar;
  policy: SlaPolicy;
}): SlaState {
  if (now.getTime() > dueAt.getTime()) return "breached";
  const target = clockMinutesBetween({ calendar, policy, from: startedAt, to: dueAt });
  const remaining = clockMinutesBetween({ calendar, policy, from: now, to: dueAt });
  return remaining < atRiskThresholdMinutes(target) ? "at_risk" : "on_track";
}

/**
 * The instant after which a clock is at risk: `slaState` says "at_risk" exactly when `now` is past
 * it (and not past `dueAt`). Stored with the clock so SQL can filter by state with a comparison.
 * On business hours, if the threshold is crossed at a closing time, the clock turns at risk only
 * when time starts counting again, at the next opening.
 */
export function atRiskStartsAt({
  clockStartedAt,
  dueAt,
  calendar,
  policy,
}: {
  clockStartedAt: Date;
  dueAt: Date;
  calendar: BusinessCalendar;
  policy: SlaPolicy;
}): Date {
  const target = clockMinutesBetween({ calendar, policy, from: clockStartedAt, to: dueAt });
  const threshold = atRiskThresholdMinutes(Math.max(0, target));
  if (policy.clock === "calendar") return new Date(dueAt.getTime() - threshold * MINUTE_MS);
  const crossing = addBusinessMinutes(calendar, clockStartedAt, Math.max(0, target - threshold));
  return nextOpening(calendar, crossing);
}

/**
 * Where a clock stands at `now` from its two stored instants; the same answer as `slaState`
 * without the calendar, so browsers and SQL can tell it.
 */
export function slaStateAt({ atRiskAt, dueAt, now }: { atRiskAt: Date; dueAt: Date; now: Date }): SlaState {
  if (now.getTime() > dueAt.getTime()) return "breached";
  return now.getTime() > atRiskAt.getTime() ? "at_risk" : "on_track";
}

/**
 * Badge text in real time: "due in 3 h 10 min", "due in 2 d 4 h", "breached 25 min ago".
 * Time left is rounded up and time overdue down, so a badge never claims more slack than there is.
 */
export function describeDue({ dueAt, now }: { dueAt: Date; now: Date }): string {
  const difference = dueAt.getTime() - now.getTime();
  if (difference >= 0) {
    const minutes = Math.ceil(difference / MINUTE_MS);
    return minutes === 0 ? "due now" : `due in ${formatMinutes(minutes)}`;
  }
  const minutes = Math.floor(-difference / MINUTE_MS);
  return minutes === 0 ? "breached just now" : `breached ${formatMinutes(minutes)} ago`;
}

const minutesPerDay = DAY_MS / MINUTE_MS;

/** "25 min", "3 h", "3 h 10 min", "2 d", "2 d 4 h" (minutes are dropped once it is days). */
export function formatMinutes(totalMinutes: number): string {
  const whole = Math.max(0, Math.floor(totalMinutes));
  const days = Math.floor(whole / minutesPerDay);
  const hours = Math.floor((whole % minutesPerDay) / 60);
  const minutes = whole % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}
