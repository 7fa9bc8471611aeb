import { businessCalendarSchema, minutesOfClockTime, weekdays, type BusinessCalendar } from "./calendar";
import { DAY_MS, MINUTE_MS, dayNumberOf, dayOfWeekOf, offsetSegment, wallClockAt } from "./zone";

/**
 * Business-hours arithmetic. Pure: every function takes its instants as arguments.
 *
 * The rule: the business is open at an instant when the wall clock in the calendar's zone, at that
 * instant, reads a time inside one of that date's intervals. Open time is real elapsed time, so:
 * - an interval that does not contain a clock change lasts what it says (09:00–18:00 is 9 hours);
 * - spring forward: wall times in the skipped hour never occur, so an interval 00:00–06:00 on that
 *   day lasts 5 hours, and one that opens inside the gap opens the moment the clocks jump;
 * - fall back: wall times in the repeated hour occur twice and are open both times, so 00:00–06:00
 *   lasts 7 hours and an interval inside the repeated hour is open twice.
 * Work steps through local dates a day at a time, and a week at a time where no holiday or clock
 * change intervenes; never minute by minute.
 */

/** A closed stretch this long means the calendar cannot open (validation prevents it). */
const MAX_CLOSED_DAYS = 366 * 30;
const WEEK_MS = 7 * DAY_MS;

interface CompiledCalendar {
  timeZone: string;
  /** Open intervals in minutes after midnight, sorted, indexed 0 = Sunday … 6 = Saturday. */
  hoursByDayOfWeek: (readonly [number, number])[][];
  /** Open time in a week without holidays or clock changes. */
  weekOpenMs: number;
  oneOffHolidays: Set<number>;
  /** month * 100 + day */
  recurringHolidays: Set<number>;
  /** Sorted day numbers of every holiday in a year, filled on demand. */
  holidaysByYear: Map<number, number[]>;
}

const compiledCalendars = new WeakMap<BusinessCalendar, CompiledCalendar>();

/** Validates (once per calendar object; calendars are treated as immutable) and turns it into numbers. */
function compile(calendar: BusinessCalendar): CompiledCalendar {
  const cached = compiledCalendars.get(calendar);
  if (cached) return cached;
  const valid = businessCalendarSchema.parse(calendar);
  const hoursByDayOfWeek: (readonly [number, number])[][] = [[], [], [], [], [], [], []];
  weekdays.forEach((day, mondayFirst) => {
    hoursByDayOfWeek[(mondayFirst + 1) % 7] = valid.weeklyHours[day]
      .map((interval) => [minutesOfClockTime(interval.start), minutesOfClockTime(interval.end)] as const)
      .sort((a, b) => a[0] - b[0]);
  });
  const weekOpenMinutes = hoursByDayOfWeek.flat().reduce((sum, [open, close]) => sum + close - open, 0);
  const oneOffHolidays = new Set<number>();
  const recurringHolidays = new Set<number>();
  for (const holiday of valid.holidays) {
    const [year = 0, month = 0, day = 0] = holiday.date.split("-").map(Number);
    if (holiday.recurring) recurringHolidays.add(month * 100 + day);
    else oneOffHolidays.add(Date.UTC(year, month - 1, day) / DAY_MS);
  }
  const result: CompiledCalendar = {
    timeZone: valid.timeZone,
    hoursByDayOfWeek,
    weekOpenMs: weekOpenMinutes * MINUTE_MS,
    oneOffHolidays,
    recurringHolidays,
    holidaysByYear: new Map(),
  };
  compiledCalendars.set(calendar, result);
  return result;
}

const closedDay: readonly (readonly [number, number])[] = [];

function hoursOn(calendar: CompiledCalendar, dayNumber: number): readonly (readonly [number, number])[] {
  if (calendar.oneOffHolidays.has(dayNumber)) return closedDay;
  if (calendar.recurringHolidays.size > 0) {
    const date = new Date(dayNumber * DAY_MS);
    if (calendar.recurringHolidays.has((date.getUTCMonth() + 1) * 100 + date.getUTCDate())) return closedDay;
  }
  return calendar.hoursByDayOfWeek[dayOfWeekOf(dayNumber)] ?? closedDay;
}

function holidaysIn(calendar: CompiledCalendar, year: number): number[] {
  let days = calendar.holidaysByYear.get(year);
  if (!days) {
    const first = Date.UTC(year, 0, 1) / DAY_MS;
    const last = Date.UTC(year + 1, 0, 1) / DAY_MS;
    days = [...calendar.oneOffHolidays].filter((day) => day >= first && day < last);
    for (const monthDay of calendar.recurringHolidays) {
      const date = new Date(Date.UTC(year, Math.floor(monthDay / 100) - 1, monthDay % 100));
      // 29 February rolls over to 1 March in common years; it recurs in leap years only.
      if (date.getUTCDate() === monthDay % 100) days.push(date.getTime() / DAY_MS);
    }
    days.sort((a, b) => a - b);
    calendar.holidaysByYear.set(year, days);
  }
  return days;
}

/** The first holiday on or after `dayNumber` within that year and the next (far enough for one step). */
function nextHolidayFrom(calendar: CompiledCalendar, dayNumber: number): number {
  const year = new Date(dayNumber * DAY_MS).getUTCFullYear();
  for (const days of [holidaysIn(calendar, year), holidaysIn(calendar, year + 1)]) {
    const found = days.find((day) => day >= dayNumber);
    if (found !== undefined) return found;
  }
  return Infinity;
}

/** [start, end, open time inside]: an open period (open = end - start) or a run of whole weeks. */
type Stretch = readonly [start: number, end: number, open: number];

/** How many whole weeks from `start`, each holding `weekOpenMs` of open time, the caller can take at once. */
type WeeksWanted = (start: number, weekOpenMs: number) => number;

/**
 * Open periods in real time from `from` onwards, in order, the first clipped to start at `from`.
 * Consecutive periods may touch (a clock change or midnight inside open hours splits them).
 * When `weeksWanted` allows, whole weeks without holidays or clock changes pass as one stretch.
 */
function* openStretchesFrom(
  calendar: CompiledCalendar,
  from: number,
  weeksWanted: WeeksWanted = () => 0,
): Generator<Stretch> {
  let position = from;
  let closedDays = 0;
  for (;;) {
    const { offset, until } = offsetSegment(calendar.timeZone, position);
    const wallFrom = position + offset;
    const wallUntil = until + offset;
    let day = dayNumberOf(wallFrom);
    while (day * DAY_MS < wallUntil) {
      const dayStart = day * DAY_MS;
      if (dayStart >= wallFrom && calendar.weekOpenMs > 0) {
        const room = Math.min(
          Math.floor((wallUntil - dayStart) / WEEK_MS),
          Math.floor((nextHolidayFrom(calendar, day) - day) / 7),
        );
        const weeks = room > 0 ? Math.min(room, weeksWanted(dayStart - offset, calendar.weekOpenMs)) : 0;
        if (weeks > 0) {
          yield [dayStart - offset, dayStart + weeks * WEEK_MS - offset, weeks * calendar.weekOpenMs];
          day += weeks * 7;
          closedDays = 0;
          continue;
        }
      }
      let opened = false;
      for (const [open, close] of hoursOn(calendar, day)) {
        const start = Math.max(dayStart + open * MINUTE_MS, wallFrom);
        const end = Math.min(dayStart + close * MINUTE_MS, wallUntil);
        if (start < end) {
          opened = true;
          yield [start - offset, end - offset, end - start];
        }
      }
      closedDays = opened ? 0 : closedDays + 1;
      if (closedDays > MAX_CLOSED_DAYS) {
        throw new Error("The business calendar does not open for 30 years; clocks would never end.");
      }
      day++;
    }
    position = until;
  }
}

function instant(date: Date, name: string): number {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError(`${name} is not a valid date`);
  return t;
}

/** Whether the business is open at `at`. */
export function isOpenAt(calendar: BusinessCalendar, at: Date): boolean {
  const compiled = compile(calendar);
  const wallClock = wallClockAt(compiled.timeZone, instant(at, "at"));
  const day = dayNumberOf(wallClock);
  const minute = (wallClock - day * DAY_MS) / MINUTE_MS;
  return hoursOn(compiled, day).some(([open, close]) => minute >= open && minute < close);
}

/** When the business next opens: `at` itself when it is open then. */
export function nextOpening(calendar: BusinessCalendar, at: Date): Date {
  const compiled = compile(calendar);
  for (const [start] of openStretchesFrom(compiled, instant(at, "at"))) return new Date(start);
  throw new Error("unreachable: open periods never run out");
}

/**
 * The instant by which `minutes` of open time have elapsed since `start` (the earliest such
 * instant, so it falls inside open hours or exactly at a closing time). Zero minutes is `start`.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Date, minutes: number): Date {
  const compiled = compile(calendar);
  const from = instant(start, "start");
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`minutes must be zero or more (got ${minutes})`);
  }
  let remaining = Math.round(minutes * MINUTE_MS);
  if (remaining === 0) return new Date(from);
  // Whole weeks are taken only while they leave something over, so the due instant is found in a period.
  const weeksWanted: WeeksWanted = (_start, weekOpenMs) => Math.floor((remaining - 1) / weekOpenMs);
  for (const [open, , openTime] of openStretchesFrom(compiled, from, weeksWanted)) {
    if (remaining <= openTime) return new Date(open + remaining);
    remaining -= openTime;
  }
  throw new Error("unreachable: open periods never run out");
}

/** Open minutes between two instants; negative when `to` is before `from`. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const compiled = compile(calendar);
  const a = instant(from, "from");
  const b = instant(to, "to");
  if (b < a) return -openMillisecondsBetween(compiled, b, a) / MINUTE_MS;
  return openMillisecondsBetween(compiled, a, b) / MINUTE_MS;
}

function openMillisecondsBetween(calendar: CompiledCalendar, from: number, to: number): number {
  let total = 0;
  if (to <= from) return total;
  const weeksWanted: WeeksWanted = (start) => Math.floor((to - start) / WEEK_MS);
  for (const [open, close, openTime] of openStretchesFrom(calendar, from, weeksWanted)) {
    if (open >= to) break;
    // A run of weeks always ends by `to`; only a single period can straddle it.
    total += close <= to ? openTime : to - open;
    if (close >= to) break;
  }
  return total;
}

export interface OpenPeriod {
  start: Date;
  end: Date;
}

/** The open periods overlapping [from, to), clipped to it, touching periods joined. */
export function openPeriodsBetween(calendar: BusinessCalendar, from: Date, to: Date): OpenPeriod[] {
  const compiled = compile(calendar);
  const a = instant(from, "from");
  const b = instant(to, "to");
  const periods: [number, number][] = [];
  if (b <= a) return [];
  for (const [open, close] of openStretchesFrom(compiled, a)) {
    if (open >= b) break;
    const last = periods[periods.length - 1];
    if (last && last[1] === open) last[1] = Math.min(close, b);
    else periods.push([open, Math.min(close, b)]);
    if (close >= b) break;
  }
  return periods.map(([start, end]) => ({ start: new Date(start), end: new Date(end) }));
}
