import { describe, expect, it } from "vitest";
import { describeZodError } from "@/lib/http/errors";
import {
  businessCalendarSchema,
  defaultBusinessCalendar,
  MAX_HOLIDAYS,
  MAX_INTERVALS_PER_DAY,
  type BusinessCalendarInput,
} from "@/lib/sla/calendar";
import { isOpenAt } from "@/lib/sla/business-time";
import { at } from "../../support/sla";

function refusal(input: unknown): string {
  const result = businessCalendarSchema.safeParse(input);
  if (result.success) throw new Error("expected the calendar to be refused");
  return describeZodError(result.error);
}

const nineToSix = [{ start: "09:00", end: "18:00" }];

describe("businessCalendarSchema", () => {
  it("defaults to Monday to Friday, 09:00–18:00, no holidays", () => {
    const calendar = businessCalendarSchema.parse({ timeZone: "Europe/Paris" });
    expect(calendar).toEqual({
      timeZone: "Europe/Paris",
      weeklyHours: {
        monday: nineToSix,
        tuesday: nineToSix,
        wednesday: nineToSix,
        thursday: nineToSix,
        friday: nineToSix,
        saturday: [],
        sunday: [],
      },
      holidays: [],
    });
    expect(defaultBusinessCalendar()).toEqual({ ...calendar, timeZone: "UTC" });
  });

  it("leaves days that are not given closed", () => {
    const calendar = businessCalendarSchema.parse({ timeZone: "UTC", weeklyHours: { saturday: nineToSix } });
    expect(calendar.weeklyHours.monday).toEqual([]);
    expect(calendar.weeklyHours.saturday).toEqual(nineToSix);
  });

  it("accepts split shifts, intervals that touch, and 24:00 as a closing time", () => {
    const input: BusinessCalendarInput = {
      timeZone: "UTC",
      weeklyHours: {
        monday: [
          { start: "13:00", end: "18:00" },
          { start: "09:00", end: "12:00" },
        ],
        tuesday: [
          { start: "00:00", end: "12:00" },
          { start: "12:00", end: "24:00" },
        ],
      },
      holidays: [{ date: "2026-12-25", recurring: true, name: "Christmas Day" }, { date: "2028-02-29" }],
    };
    const calendar = businessCalendarSchema.parse(input);
    expect(calendar.holidays).toEqual([
      { date: "2026-12-25", recurring: true, name: "Christmas Day" },
      { date: "2028-02-29", recurring: false },
    ]);
    expect(isOpenAt(calendar, at("2026-01-13T23:59:00Z"))).toBe(true);
  });

  it("stores the canonical spelling of the time zone", () => {
    expect(businessCalendarSchema.parse({ timeZone: " europe/london " }).timeZone).toBe("Europe/London");
  });

  it.each<[string, unknown, string]>([
    [
      "a zone that does not exist",
      { timeZone: "Mars/Olympus_Mons" },
      'timeZone: "Mars/Olympus_Mons" is not a known time zone: use an IANA name such as "Europe/London" or "America/New_York"',
    ],
    [
      "a missing zone",
      { timeZone: "  " },
      'timeZone: the time zone is required: an IANA name such as "Europe/London" or "America/New_York"',
    ],
    [
      "an empty interval",
      { timeZone: "UTC", weeklyHours: { monday: [{ start: "09:00", end: "09:00" }] } },
      "weeklyHours.monday.0: Monday 09:00–09:00 is empty: its closing time must come after its opening time",
    ],
    [
      "an interval that closes before it opens",
      { timeZone: "UTC", weeklyHours: { friday: [{ start: "22:00", end: "06:00" }] } },
      "weeklyHours.friday.0: Friday 22:00–06:00 closes before it opens: hours past midnight belong to the next day " +
        "(for example 22:00–24:00 and 00:00–06:00 the day after)",
    ],
    [
      "overlapping intervals on the same day",
      {
        timeZone: "UTC",
        weeklyHours: {
          tuesday: [
            { start: "12:00", end: "18:00" },
            { start: "09:00", end: "13:00" },
          ],
        },
      },
      "weeklyHours.tuesday.0: Tuesday 09:00–13:00 overlaps 12:00–18:00: make one interval end before the other starts",
    ],
    [
      "an interval inside another",
      {
        timeZone: "UTC",
        weeklyHours: {
          wednesday: [
            { start: "09:00", end: "18:00" },
            { start: "10:00", end: "11:00" },
          ],
        },
      },
      "weeklyHours.wednesday.1: Wednesday 09:00–18:00 overlaps 10:00–11:00: make one interval end before the other starts",
    ],
    [
      "an opening time that is not HH:MM",
      { timeZone: "UTC", weeklyHours: { monday: [{ start: "9:00", end: "18:00" }] } },
      'weeklyHours.monday.0.start: opening time "9:00" must be "HH:MM" between 00:00 and 23:59',
    ],
    [
      "an opening time of 24:00",
      { timeZone: "UTC", weeklyHours: { monday: [{ start: "24:00", end: "24:00" }] } },
      'weeklyHours.monday.0.start: opening time "24:00" must be "HH:MM" between 00:00 and 23:59',
    ],
    [
      "a closing time after 24:00",
      { timeZone: "UTC", weeklyHours: { monday: [{ start: "09:00", end: "24:30" }] } },
      'weeklyHours.monday.0.end: closing time "24:30" must be "HH:MM" between 00:01 and 24:00',
    ],
    [
      "a calendar with no open hours at all",
      { timeZone: "UTC", weeklyHours: {} },
      "weeklyHours: the calendar has no open hours: add at least one interval to a weekday, or clocks would never end",
    ],
    [
      "a calendar where every day is a recurring holiday",
      {
        timeZone: "UTC",
        holidays: Array.from({ length: 365 }, (_, day) => ({
          date: new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10),
          recurring: true,
        })),
      },
      "holidays: every day of the year is a recurring holiday, so the business never opens and clocks would never end: " +
        "remove some holidays",
    ],
    [
      "a holiday on a date that does not exist",
      { timeZone: "UTC", holidays: [{ date: "2026-02-30" }] },
      'holidays.0.date: holiday date "2026-02-30" must be a real date written "YYYY-MM-DD"',
    ],
    [
      "a holiday date in another format",
      { timeZone: "UTC", holidays: [{ date: "25/12/2026" }] },
      'holidays.0.date: holiday date "25/12/2026" must be a real date written "YYYY-MM-DD"',
    ],
    [
      "too many intervals in a day",
      {
        timeZone: "UTC",
        weeklyHours: {
          monday: Array.from({ length: MAX_INTERVALS_PER_DAY + 1 }, (_, hour) => ({
            start: `${String(hour).padStart(2, "0")}:00`,
            end: `${String(hour).padStart(2, "0")}:30`,
          })),
        },
      },
      `weeklyHours.monday: a day has at most ${MAX_INTERVALS_PER_DAY} intervals`,
    ],
    [
      "too many holidays",
      { timeZone: "UTC", holidays: Array.from({ length: MAX_HOLIDAYS + 1 }, () => ({ date: "2026-12-25" })) },
      `holidays: a calendar has at most ${MAX_HOLIDAYS} holidays`,
    ],
  ])("refuses %s with a message that says what to fix", (_name, input, message) => {
    expect(refusal(input)).toBe(message);
  });
});
