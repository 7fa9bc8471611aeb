import { z } from "zod";

/**
 * A business calendar: when the team is open, in the business's own time zone. Hours are wall-clock
 * times ("09:00"–"18:00") on each weekday, several intervals a day for split shifts and lunch
 * breaks; holidays close whole dates, once or every year. lib/sla/business-time.ts does the maths.
 */

export const weekdays = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;
export type Weekday = (typeof weekdays)[number];

const weekdayNames: Record<Weekday, string> = {
  monday: "Monday",
  tuesday: "Tuesday",
  wednesday: "Wednesday",
  thursday: "Thursday",
  friday: "Friday",
  saturday: "Saturday",
  sunday: "Sunday",
};

export function weekdayName(day: Weekday): string {
  return weekdayNames[day];
}

/** Limits that keep a calendar human-sized; no real business needs more. */
export const MAX_INTERVALS_PER_DAY = 24;
export const MAX_HOLIDAYS = 1000;

const clockTimePattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** "HH:MM" → minutes after midnight; "24:00" is 1440 (an interval that runs to the end of the day). */
export function minutesOfClockTime(time: string): number {
  const [hours = "0", minutes = "0"] = time.split(":");
  return Number(hours) * 60 + Number(minutes);
}

const startTime = z.string({ message: 'an opening time is written "HH:MM"' }).regex(clockTimePattern, {
  error: (issue) => `opening time ${show(issue.input)} must be "HH:MM" between 00:00 and 23:59`,
});

const endTime = z
  .string({ message: 'a closing time is written "HH:MM"' })
  .refine((value) => value === "24:00" || clockTimePattern.test(value), {
    error: (issue) => `closing time ${show(issue.input)} must be "HH:MM" between 00:01 and 24:00`,
  });

export const openIntervalSchema = z.object({ start: startTime, end: endTime });
export type OpenInterval = z.infer<typeof openIntervalSchema>;

const daySchema = z
  .array(openIntervalSchema, { message: "a day's hours are a list of { start, end } intervals" })
  .max(MAX_INTERVALS_PER_DAY, `a day has at most ${MAX_INTERVALS_PER_DAY} intervals`)
  .default([]);

const weekdayFromNine: OpenInterval[] = [{ start: "09:00", end: "18:00" }];

/** Monday to Friday, 09:00–18:00. */
export function defaultWeeklyHours(): Record<Weekday, OpenInterval[]> {
  return {
    monday: [...weekdayFromNine],
    tuesday: [...weekdayFromNine],
    wednesday: [...weekdayFromNine],
    thursday: [...weekdayFromNine],
    friday: [...weekdayFromNine],
    saturday: [],
    sunday: [],
  };
}

export const weeklyHoursSchema = z
  .object(
    {
      monday: daySchema,
      tuesday: daySchema,
      wednesday: daySchema,
      thursday: daySchema,
      friday: daySchema,
      saturday: daySchema,
      sunday: daySchema,
    },
    { message: "weekly hours are an object with one list of intervals per weekday" },
  )
  .strict()
  .superRefine((week, ctx) => {
    for (const day of weekdays) {
      week[day].forEach((interval, index) => {
        const problem = describeIntervalProblem(day, interval);
        if (problem) ctx.addIssue({ code: "custom", path: [day, index], message: problem });
      });
      const sorted = week[day]
        .map((interval, index) => ({ interval, index }))
        .filter(({ interval }) => isWellFormed(interval) && !describeIntervalProblem(day, interval))
        .sort((a, b) => minutesOfClockTime(a.interval.start) - minutesOfClockTime(b.interval.start));
      for (let i = 1; i < sorted.length; i++) {
        const previous = sorted[i - 1];
        const current = sorted[i];
        if (!previous || !current) continue;
        if (minutesOfClockTime(current.interval.start) < minutesOfClockTime(previous.interval.end)) {
          ctx.addIssue({
            code: "custom",
            path: [day, current.index],
            message:
              `${weekdayName(day)} ${showInterval(previous.interval)} overlaps ${showInterval(current.interval)}: ` +
              "make one interval end before the other starts",
          });
        }
      }
    }
  });
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

function describeIntervalProblem(day: Weekday, interval: OpenInterval): string | undefined {
  // Badly written times already have their own message; comparing them would only add noise.
  if (!isWellFormed(interval)) return undefined;
  const start = minutesOfClockTime(interval.start);
  const end = minutesOfClockTime(interval.end);
  if (start === end) {
    return `${weekdayName(day)} ${showInterval(interval)} is empty: its closing time must come after its opening time`;
  }
  if (end < start) {
    return (
      `${weekdayName(day)} ${showInterval(interval)} closes before it opens: ` +
      "hours past midnight belong to the next day (for example 22:00–24:00 and 00:00–06:00 the day after)"
    );
  }
  return undefined;
}

function isWellFormed(interval: OpenInterval): boolean {
  return (
    clockTimePattern.test(interval.start) && (interval.end === "24:00" || clockTimePattern.test(interval.end))
  );
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  if (!datePattern.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const holidaySchema = z.object({
  date: z.string({ message: 'a holiday date is written "YYYY-MM-DD"' }).refine(isRealDate, {
    error: (issue) => `holiday date ${show(issue.input)} must be a real date written "YYYY-MM-DD"`,
  }),
  /** Closed on this month and day every year (a 29 February holiday recurs in leap years only). */
  recurring: z.boolean({ message: "recurring must be true or false" }).default(false),
  name: z.string().trim().max(100, "a holiday name has at most 100 characters").optional(),
});
export type Holiday = z.infer<typeof holidaySchema>;

// Building an Intl.DateTimeFormat costs tens of microseconds; real zones are few, so remember them
// (unknown names are not remembered, so junk input cannot grow the map).
const canonicalTimeZones = new Map<string, string>();

/** The canonical spelling Intl gives a zone ("europe/london" → "Europe/London"), or null when unknown. */
export function canonicalTimeZone(timeZone: string): string | null {
  const cached = canonicalTimeZones.get(timeZone);
  if (cached) return cached;
  try {
    const canonical = new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
    canonicalTimeZones.set(timeZone, canonical);
    return canonical;
  } catch {
    // Intl throws RangeError for a zone it does not know.
    return null;
  }
}

export function isKnownTimeZone(timeZone: string): boolean {
  return canonicalTimeZone(timeZone) !== null;
}

export const timeZoneSchema = z
  .string({ message: 'the time zone is an IANA name such as "Europe/London"' })
  .trim()
  .min(1, 'the time zone is required: an IANA name such as "Europe/London" or "America/New_York"')
  .superRefine((value, ctx) => {
    if (value.length > 0 && !isKnownTimeZone(value)) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" is not a known time zone: use an IANA name such as "Europe/London" or "America/New_York"`,
      });
    }
  })
  // Store the canonical spelling ("europe/london" → "Europe/London") so equal zones compare equal.
  .transform((value) => canonicalTimeZone(value) ?? value);

/** Days of a common year, "MM-DD": recurring holidays covering all of them close the business for good. */
const daysOfCommonYear = 365;

export const businessCalendarSchema = z
  .object({
    timeZone: timeZoneSchema,
    weeklyHours: weeklyHoursSchema.default(defaultWeeklyHours),
    holidays: z
      .array(holidaySchema, { message: "holidays are a list of { date, recurring } entries" })
      .max(MAX_HOLIDAYS, `a calendar has at most ${MAX_HOLIDAYS} holidays`)
      .default([]),
  })
  .superRefine((calendar, ctx) => {
    const hasOpenHours = weekdays.some((day) => calendar.weeklyHours[day].length > 0);
    if (!hasOpenHours) {
      ctx.addIssue({
        code: "custom",
        path: ["weeklyHours"],
        message:
          "the calendar has no open hours: add at least one interval to a weekday, or clocks would never end",
      });
      return;
    }
    const recurringDays = new Set(
      calendar.holidays.filter((h) => h.recurring && h.date.slice(5) !== "02-29").map((h) => h.date.slice(5)),
    );
    if (recurringDays.size >= daysOfCommonYear) {
      ctx.addIssue({
        code: "custom",
        path: ["holidays"],
        message:
          "every day of the year is a recurring holiday, so the business never opens and clocks would never end: " +
          "remove some holidays",
      });
    }
  });

/** A validated calendar. Parse unknown input with businessCalendarSchema before using it. */
export type BusinessCalendar = z.output<typeof businessCalendarSchema>;
export type BusinessCalendarInput = z.input<typeof businessCalendarSchema>;

/** The default calendar: Monday to Friday, 09:00–18:00 in the given zone, no holidays. */
export function defaultBusinessCalendar(timeZone = "UTC"): BusinessCalendar {
  return businessCalendarSchema.parse({ timeZone });
}

function showInterval(interval: OpenInterval): string {
  return `${interval.start}–${interval.end}`;
}

function show(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : String(value);
}
