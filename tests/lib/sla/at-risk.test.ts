import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeDueAt, clockStartsAt, type SlaPolicy } from "@/lib/sla/policy";
import { atRiskStartsAt, slaState, slaStateAt } from "@/lib/sla/state";
import { at, calendar, policy, weekdaysOnly } from "../../support/sla";

const london = calendar({ timeZone: "Europe/London" });
const splitShiftNewYork = calendar({
  timeZone: "America/New_York",
  weeklyHours: weekdaysOnly(["08:00", "12:00"], ["13:00", "17:30"]),
  holidays: [{ date: "2026-07-03", recurring: true }],
});
const sydneyWeekends = calendar({
  timeZone: "Australia/Sydney",
  weeklyHours: { saturday: [{ start: "10:00", end: "16:00" }], sunday: [{ start: "00:00", end: "24:00" }] },
});

function clockFor(cal: typeof london, pol: SlaPolicy, arrivedAt: Date) {
  const dueAt = computeDueAt({ arrivedAt, calendar: cal, policy: pol, kind: "first_response" });
  const clockStartedAt = clockStartsAt({ arrivedAt, calendar: cal, policy: pol });
  return {
    clockStartedAt,
    dueAt,
    atRiskAt: atRiskStartsAt({ clockStartedAt, dueAt, calendar: cal, policy: pol }),
  };
}

describe("atRiskStartsAt", () => {
  it("is two business hours before the deadline for a 24-hour target", () => {
    // Monday 10:00 → due Wednesday 16:00; at risk after Wednesday 14:00.
    const clock = clockFor(london, policy(), at("2026-03-02T10:00:00Z"));
    expect(clock.atRiskAt).toEqual(at("2026-03-04T14:00:00Z"));
  });

  it("waits for the next opening when the threshold is crossed at closing time", () => {
    // Two hours from Friday 16:00: due 18:00, at risk with under 30 minutes left: after 17:30.
    const twoHours = policy({ firstResponseMinutes: 120 });
    const clock = clockFor(london, twoHours, at("2026-03-06T16:00:00Z"));
    expect(clock.dueAt).toEqual(at("2026-03-06T18:00:00Z"));
    expect(clock.atRiskAt).toEqual(at("2026-03-06T17:30:00Z"));
    // Four hours from Friday 15:00: three on Friday, due Monday 10:00. The one-hour threshold is
    // crossed at Friday 18:00, closing time, so the clock turns at risk at Monday's opening.
    const fourHours = policy({ firstResponseMinutes: 240 });
    const later = clockFor(london, fourHours, at("2026-03-06T15:00:00Z"));
    expect(later.dueAt).toEqual(at("2026-03-09T10:00:00Z"));
    expect(later.atRiskAt).toEqual(at("2026-03-09T09:00:00Z"));
    const saturday = at("2026-03-07T12:00:00Z");
    const state = {
      startedAt: later.clockStartedAt,
      dueAt: later.dueAt,
      calendar: london,
      policy: fourHours,
    };
    expect(slaState({ ...state, now: saturday })).toBe("on_track");
    expect(slaStateAt({ ...later, now: saturday })).toBe("on_track");
    expect(slaState({ ...state, now: at("2026-03-09T09:01:00Z") })).toBe("at_risk");
  });

  it("is the threshold before the deadline on the calendar clock", () => {
    const calendarClock = policy({ firstResponseMinutes: 60, clock: "calendar" });
    const clock = clockFor(london, calendarClock, at("2026-03-07T12:00:00Z"));
    expect(clock.atRiskAt).toEqual(at("2026-03-07T12:45:00Z"));
  });
});

describe("the state from stored instants", () => {
  const calendars = [london, splitShiftNewYork, sydneyWeekends];
  const instant = fc
    .integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2027, 11, 1) / 60_000 })
    .map((minute) => new Date(minute * 60_000));

  it("agrees with slaState for any calendar, policy, arrival and moment", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...calendars),
        fc.record({
          firstResponseMinutes: fc.integer({ min: 1, max: 5000 }),
          clock: fc.constantFrom("business_hours" as const, "calendar" as const),
        }),
        instant,
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        (cal, input, arrivedAt, minutesLater) => {
          const pol = policy(input);
          const clock = clockFor(cal, pol, arrivedAt);
          const now = new Date(arrivedAt.getTime() + minutesLater * 60_000);
          expect(slaStateAt({ atRiskAt: clock.atRiskAt, dueAt: clock.dueAt, now })).toBe(
            slaState({
              startedAt: clock.clockStartedAt,
              dueAt: clock.dueAt,
              now,
              calendar: cal,
              policy: pol,
            }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
