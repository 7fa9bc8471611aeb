import { z } from "zod";
import { isOpenAt, nextOpening } from "./business-time";
import {
  minutesOfClockTime,
  weekdayName,
  weekdays,
  type BusinessCalendar,
  type OpenInterval,
} from "./calendar";
import { DAY_MS, dayNumberOf, dayOfWeekOf, wallClockAt } from "./zone";

/**
 * The off-hours auto-reply: one courteous message per closed period telling the customer when the
 * team is back. It is informational only; SLA clocks ignore it.
 */

export const offHoursVariables = [
  "next_opening",
  "next_opening_date",
  "next_opening_time",
  "opening_hours",
  "time_zone",
] as const;
export type OffHoursVariable = (typeof offHoursVariables)[number];

export const DEFAULT_OFF_HOURS_TEMPLATE =
  "Thank you for your message. Our team is available {{opening_hours}}. " +
  "We will reply when we are back {{next_opening}}.";

export const MAX_OFF_HOURS_TEMPLATE_LENGTH = 1000;

const variablePattern = /\{\{\s*([A-Za-z_]+)\s*\}\}/g;

function isOffHoursVariable(name: string): name is OffHoursVariable {
  return (offHoursVariables as readonly string[]).includes(name);
}

/** An inbox's editable reply text; only known {{variables}} are accepted. */
export const offHoursTemplateSchema = z
  .string({ message: "the off-hours reply must be text" })
  .trim()
  .min(1, "the off-hours reply cannot be empty")
  .max(
    MAX_OFF_HOURS_TEMPLATE_LENGTH,
    `the off-hours reply has at most ${MAX_OFF_HOURS_TEMPLATE_LENGTH} characters`,
  )
  .superRefine((template, ctx) => {
    const unknown = [...template.matchAll(variablePattern)]
      .map((match) => match[1] ?? "")
      .filter((name) => !isOffHoursVariable(name));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message:
          `unknown variable ${unknown.map((name) => `{{${name}}}`).join(", ")}: ` +
          `use ${offHoursVariables.map((name) => `{{${name}}}`).join(", ")}`,
      });
    }
  });

/**
 * Whether a customer message at `now` deserves the auto-reply: the business is closed and no
 * auto-reply went out in this closed period (none since the business was last open).
 */
export function shouldSendOffHoursReply({
  calendar,
  now,
  lastAutoReplyAt,
}: {
  calendar: BusinessCalendar;
  now: Date;
  lastAutoReplyAt: Date | null | undefined;
}): boolean {
  if (isOpenAt(calendar, now)) return false;
  if (!lastAutoReplyAt) return true;
  if (lastAutoReplyAt.getTime() > now.getTime()) return false;
  return nextOpening(calendar, lastAutoReplyAt).getTime() <= now.getTime();
}

/**
 * Values of the template variables at `now`, in the business's zone:
 * next_opening "today at 9:00" | "tomorrow at 9:00" | "on Monday at 9:00" | "on Monday 6 April at 9:00"
 * (the date is added from a week ahead, when a weekday alone would be ambiguous);
 * next_opening_date "Monday 6 April"; next_opening_time "9:00";
 * opening_hours "Monday to Friday, 9:00–18:00"; time_zone "Europe/London".
 */
export function offHoursValues({
  calendar,
  now,
}: {
  calendar: BusinessCalendar;
  now: Date;
}): Record<OffHoursVariable, string> {
  const opening = nextOpening(calendar, now);
  const openingWall = wallClockAt(calendar.timeZone, opening.getTime());
  const daysAhead = dayNumberOf(openingWall) - dayNumberOf(wallClockAt(calendar.timeZone, now.getTime()));
  const time = formatWallTime(openingWall);
  // dayOfWeekOf counts from Sunday; weekdays start on Monday.
  const weekday = nameOfMondayFirst((dayOfWeekOf(dayNumberOf(openingWall)) + 6) % 7);
  const date = `${weekday} ${formatDayAndMonth(openingWall)}`;
  const when =
    daysAhead === 0
      ? `today at ${time}`
      : daysAhead === 1
        ? `tomorrow at ${time}`
        : daysAhead < 7
          ? `on ${weekday} at ${time}`
          : `on ${date} at ${time}`;
  return {
    next_opening: when,
    next_opening_date: date,
    next_opening_time: time,
    opening_hours: describeOpeningHours(calendar),
    time_zone: calendar.timeZone,
  };
}

/** The reply text at `now`: the inbox's template (or the default) with its variables filled in. */
export function renderOffHoursReply({
  calendar,
  now,
  template = DEFAULT_OFF_HOURS_TEMPLATE,
}: {
  calendar: BusinessCalendar;
  now: Date;
  template?: string;
}): string {
  const values = offHoursValues({ calendar, now });
  return template.replace(variablePattern, (whole, name: string) =>
    isOffHoursVariable(name) ? values[name] : whole,
  );
}

/** "Monday to Friday, 9:00–18:00"; "Monday to Friday, 9:00–12:00 and 13:00–18:00; Saturday, 10:00–14:00". */
export function describeOpeningHours(calendar: BusinessCalendar): string {
  const groups = new Map<string, number[]>();
  weekdays.forEach((day, index) => {
    const hours = calendar.weeklyHours[day];
    if (hours.length === 0) return;
    const key = describeIntervals(hours);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  return [...groups.entries()].map(([hours, days]) => `${describeDays(days)}, ${hours}`).join("; ");
}

function describeIntervals(hours: OpenInterval[]): string {
  const sorted = [...hours].sort((a, b) => minutesOfClockTime(a.start) - minutesOfClockTime(b.start));
  if (sorted.length === 1 && sorted[0]?.start === "00:00" && sorted[0].end === "24:00") return "all day";
  return joinWithAnd(sorted.map((interval) => `${trimHour(interval.start)}–${trimHour(interval.end)}`));
}

/** Monday-first indexes → "every day", "Monday to Friday", "Monday, Wednesday and Friday". */
function describeDays(days: number[]): string {
  if (days.length === 7) return "every day";
  const runs: number[][] = [];
  for (const day of days) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === day - 1) run.push(day);
    else runs.push([day]);
  }
  const parts = runs.flatMap((run) =>
    run.length >= 3
      ? [`${nameOfMondayFirst(run[0])} to ${nameOfMondayFirst(run[run.length - 1])}`]
      : run.map(nameOfMondayFirst),
  );
  return joinWithAnd(parts);
}

function nameOfMondayFirst(index: number | undefined): string {
  return weekdayName(weekdays[index ?? 0] ?? "monday");
}

function joinWithAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** "09:00" → "9:00", as people write it. */
function trimHour(time: string): string {
  return time.startsWith("0") ? time.slice(1) : time;
}

function formatWallTime(wallClock: number): string {
  const minuteOfDay = Math.floor((wallClock - dayNumberOf(wallClock) * DAY_MS) / 60_000);
  return `${Math.floor(minuteOfDay / 60)}:${String(minuteOfDay % 60).padStart(2, "0")}`;
}

const monthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function formatDayAndMonth(wallClock: number): string {
  const date = new Date(wallClock);
  return `${date.getUTCDate()} ${monthNames[date.getUTCMonth()] ?? ""}`;
}
