import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isOpenAt,
  nextOpening,
  openPeriodsBetween,
} from "@/lib/sla/business-time";
import { type BusinessCalendar, type OpenInterval } from "@/lib/sla/calendar";
import { computeDueAt } from "@/lib/sla/policy";
import { calendar, policy } from "../../support/sla";

// Bounded runs keep the suite fast; a failure prints its seed and shrunk counterexample.
const runs = { numRuns: 200 };

// Zones with DST in both hemispheres, at midnight (Santiago), by half an hour (Lord Howe),
// on quarter-hour offsets (Kathmandu, Chatham), and none at all.
const zones = [
  "UTC",
  "Europe/London",
  "America/New_York",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Asia/Kathmandu",
  "America/Santiago",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
] as const;

function clockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * A day's hours: sorted distinct boundaries paired into intervals, often on the half hour (where
 * clocks change), otherwise on any 5-minute mark. (Coarser than any minute so a week holds at least
 * 5 open minutes and long targets on sparse calendars do not run decades ahead.)
 */
const dayHours: fc.Arbitrary<OpenInterval[]> = fc
  .uniqueArray(
    fc.oneof(
      fc.integer({ min: 0, max: 48 }).map((halfHours) => halfHours * 30),
      fc.integer({ min: 0, max: 288 }).map((fiveMinutes) => fiveMinutes * 5),
    ),
    { maxLength: 6 },
  )
  .map((boundaries) => {
    const sorted = [...boundaries].sort((a, b) => a - b);
    const intervals: OpenInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      intervals.push({ start: clockTime(sorted[i] ?? 0), end: clockTime(sorted[i + 1] ?? 0) });
    }
    return intervals;
  });

const holidayDate = fc
  .integer({ min: Date.UTC(2025, 0, 1) / 86_400_000, max: Date.UTC(2028, 11, 31) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

const businessCalendar: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...zones),
    weeklyHours: fc.record({
      monday: dayHours,
      tuesday: dayHours,
      wednesday: dayHours,
      thursday: dayHours,
      friday: dayHours,
      saturday: dayHours,
      sunday: dayHours,
    }),
    holidays: fc.array(fc.record({ date: holidayDate, recurring: fc.boolean() }), { maxLength: 8 }),
  })
  .filter((input) => Object.values(input.weeklyHours).some((day) => day.length > 0))
  .map((input) => calendar(input));

/** Instants in 2025–2028, often on a whole minute, sometimes anywhere. */
const instant = fc
  .oneof(
    fc
      .integer({ min: Date.UTC(2025, 0, 1) / 60_000, max: Date.UTC(2028, 11, 1) / 60_000 })
      .map((m) => m * 60_000),
    fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 1) }),
  )
  .map((t) => new Date(t));

const target = fc.integer({ min: 1, max: 5000 });
const businessHours = policy();

function dueAt(businessCalendarValue: BusinessCalendar, arrivedAt: Date, minutes: number): Date {
  return computeDueAt({
    arrivedAt,
    calendar: businessCalendarValue,
    policy: { ...businessHours, firstResponseMinutes: minutes },
    kind: "first_response",
  });
}

describe("business-hours deadlines, for any calendar", () => {
  it("fall inside open hours or exactly at a closing time", () => {
    fc.assert(
      fc.property(businessCalendar, instant, target, (cal, arrivedAt, minutes) => {
        const due = dueAt(cal, arrivedAt, minutes);
        expect(due.getTime()).toBeGreaterThan(arrivedAt.getTime());
        // Open just before `due` means `due` lies in (opening, closing] of some open period.
        expect(isOpenAt(cal, new Date(due.getTime() - 1))).toBe(true);
      }),
      runs,
    );
  });

  it("never come earlier for a longer target", () => {
    fc.assert(
      fc.property(businessCalendar, instant, target, target, (cal, arrivedAt, a, b) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(dueAt(cal, arrivedAt, shorter).getTime()).toBeLessThanOrEqual(
          dueAt(cal, arrivedAt, longer).getTime(),
        );
      }),
      runs,
    );
  });

  it("never come earlier for a later arrival", () => {
    fc.assert(
      fc.property(businessCalendar, instant, instant, target, (cal, a, b, minutes) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        expect(dueAt(cal, earlier, minutes).getTime()).toBeLessThanOrEqual(
          dueAt(cal, later, minutes).getTime(),
        );
      }),
      runs,
    );
  });

  it("are exactly the target away on the calendar clock", () => {
    fc.assert(
      fc.property(businessCalendar, instant, target, (cal, arrivedAt, minutes) => {
        const due = computeDueAt({
          arrivedAt,
          calendar: cal,
          policy: policy({ clock: "calendar", nextResponseMinutes: minutes }),
          kind: "next_response",
        });
        expect(due.getTime() - arrivedAt.getTime()).toBe(minutes * 60_000);
      }),
      runs,
    );
  });
});

describe("addBusinessMinutes and businessMinutesBetween", () => {
  it("undo each other: counting the minutes added gives them back", () => {
    fc.assert(
      fc.property(businessCalendar, instant, fc.integer({ min: 0, max: 5000 }), (cal, start, minutes) => {
        expect(businessMinutesBetween(cal, start, addBusinessMinutes(cal, start, minutes))).toBe(minutes);
      }),
      runs,
    );
  });

  it("undo each other: adding the minutes counted reaches the end, or the last closing before it", () => {
    fc.assert(
      fc.property(businessCalendar, instant, instant, (cal, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const counted = businessMinutesBetween(cal, from, to);
        const reached = addBusinessMinutes(cal, from, counted);
        expect(reached.getTime()).toBeLessThanOrEqual(to.getTime());
        expect(businessMinutesBetween(cal, reached, to)).toBe(0);
        if (to > from && isOpenAt(cal, new Date(to.getTime() - 1))) expect(reached).toEqual(to);
      }),
      runs,
    );
  });

  it("count the same open time as listing the open periods one by one", () => {
    // Counting takes whole weeks at once; listing walks every day. A few months keeps listing cheap.
    const span = fc.integer({ min: 0, max: 120 * 86_400_000 });
    fc.assert(
      fc.property(businessCalendar, instant, span, (cal, from, length) => {
        const to = new Date(from.getTime() + length);
        const listed = openPeriodsBetween(cal, from, to).reduce(
          (sum, { start, end }) => sum + (end.getTime() - start.getTime()),
          0,
        );
        expect(businessMinutesBetween(cal, from, to)).toBe(listed / 60_000);
      }),
      runs,
    );
  });

  it("add up over consecutive stretches and never exceed the time elapsed", () => {
    fc.assert(
      fc.property(businessCalendar, instant, instant, instant, (cal, a, b, c) => {
        const [first, middle, last] = [a, b, c].sort((x, y) => x.getTime() - y.getTime()) as [
          Date,
          Date,
          Date,
        ];
        const whole = businessMinutesBetween(cal, first, last);
        const parts = businessMinutesBetween(cal, first, middle) + businessMinutesBetween(cal, middle, last);
        expect(whole).toBeCloseTo(parts, 6);
        expect(whole).toBeLessThanOrEqual((last.getTime() - first.getTime()) / 60_000);
        expect(businessMinutesBetween(cal, last, first)).toBe(-whole);
      }),
      runs,
    );
  });
});

describe("isOpenAt, nextOpening and openPeriodsBetween", () => {
  it("agree on whether an instant is open", () => {
    fc.assert(
      fc.property(businessCalendar, instant, (cal, t) => {
        const week = 7 * 86_400_000;
        const periods = openPeriodsBetween(cal, new Date(t.getTime() - week), new Date(t.getTime() + week));
        const inPeriod = periods.some(({ start, end }) => start <= t && t < end);
        expect(isOpenAt(cal, t)).toBe(inPeriod);
      }),
      runs,
    );
  });

  it("find the next opening: open, not before the instant, with no open time in between", () => {
    fc.assert(
      fc.property(businessCalendar, instant, (cal, t) => {
        const opening = nextOpening(cal, t);
        expect(opening.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(isOpenAt(cal, opening)).toBe(true);
        expect(businessMinutesBetween(cal, t, opening)).toBe(0);
        if (isOpenAt(cal, t)) expect(opening).toEqual(t);
      }),
      runs,
    );
  });
});
