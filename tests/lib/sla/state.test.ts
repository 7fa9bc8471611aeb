import { describe, expect, it } from "vitest";
import { computeDueAt, type SlaPolicy } from "@/lib/sla/policy";
import { atRiskThresholdMinutes, describeDue, formatMinutes, slaState, type SlaState } from "@/lib/sla/state";
import { at, calendar, policy } from "../../support/sla";

const london = calendar({ timeZone: "Europe/London" });

describe("atRiskThresholdMinutes", () => {
  it("is 25 % of the target or 2 hours, whichever is less", () => {
    expect(atRiskThresholdMinutes(1440)).toBe(120);
    expect(atRiskThresholdMinutes(480)).toBe(120);
    expect(atRiskThresholdMinutes(240)).toBe(60);
    expect(atRiskThresholdMinutes(60)).toBe(15);
  });
});

describe("slaState", () => {
  // Arrived Saturday: the clock starts Monday 09:00 and is due Wednesday 15:00 (24 business hours).
  const twentyFourHours = policy();
  const arrivedAt = at("2026-01-10T11:00:00Z");
  const dueAt = computeDueAt({
    arrivedAt,
    calendar: london,
    policy: twentyFourHours,
    kind: "first_response",
  });

  // Three business hours from Friday 16:00: due Monday 10:00; at risk under 45 minutes left.
  const threeHours = policy({ firstResponseMinutes: 180 });
  const fridayAfternoon = at("2026-01-09T16:00:00Z");
  const mondayTen = computeDueAt({
    arrivedAt: fridayAfternoon,
    calendar: london,
    policy: threeHours,
    kind: "first_response",
  });

  const threeCalendarHours = policy({ firstResponseMinutes: 180, clock: "calendar" });
  const fridaySeven = computeDueAt({
    arrivedAt: fridayAfternoon,
    calendar: london,
    policy: threeCalendarHours,
    kind: "first_response",
  });

  it.each<[string, Date, Date, SlaPolicy, string, SlaState]>([
    [
      "on track with plenty of time left",
      arrivedAt,
      dueAt,
      twentyFourHours,
      "2026-01-12T10:00:00Z",
      "on_track",
    ],
    [
      "on track with exactly 2 business hours left",
      arrivedAt,
      dueAt,
      twentyFourHours,
      "2026-01-14T13:00:00Z",
      "on_track",
    ],
    [
      "at risk with less than 2 business hours left",
      arrivedAt,
      dueAt,
      twentyFourHours,
      "2026-01-14T13:01:00Z",
      "at_risk",
    ],
    [
      "at risk, not breached, at the due instant itself",
      arrivedAt,
      dueAt,
      twentyFourHours,
      "2026-01-14T15:00:00Z",
      "at_risk",
    ],
    [
      "breached a moment after the due instant",
      arrivedAt,
      dueAt,
      twentyFourHours,
      "2026-01-14T15:00:00.001Z",
      "breached",
    ],
    [
      "on track over the weekend with an hour of business time left",
      fridayAfternoon,
      mondayTen,
      threeHours,
      "2026-01-10T12:00:00Z",
      "on_track",
    ],
    [
      "at risk on Monday morning with 40 business minutes left",
      fridayAfternoon,
      mondayTen,
      threeHours,
      "2026-01-12T09:20:00Z",
      "at_risk",
    ],
    [
      "on the calendar clock, at risk with 40 real minutes left",
      fridayAfternoon,
      fridaySeven,
      threeCalendarHours,
      "2026-01-09T18:20:00Z",
      "at_risk",
    ],
    [
      "on the calendar clock, on track with 50 real minutes left",
      fridayAfternoon,
      fridaySeven,
      threeCalendarHours,
      "2026-01-09T18:10:00Z",
      "on_track",
    ],
    [
      "on the calendar clock, breached after the deadline",
      fridayAfternoon,
      fridaySeven,
      threeCalendarHours,
      "2026-01-09T19:01:00Z",
      "breached",
    ],
  ])("%s", (_name, startedAt, due, slaPolicy, now, state) => {
    expect(slaState({ startedAt, dueAt: due, now: at(now), calendar: london, policy: slaPolicy })).toBe(
      state,
    );
  });

  it("measures the target from arrival or from the clock start alike", () => {
    const clockStart = at("2026-01-12T09:00:00Z");
    const now = at("2026-01-14T13:30:00Z");
    const fromArrival = slaState({
      startedAt: arrivedAt,
      dueAt,
      now,
      calendar: london,
      policy: twentyFourHours,
    });
    const fromStart = slaState({
      startedAt: clockStart,
      dueAt,
      now,
      calendar: london,
      policy: twentyFourHours,
    });
    expect([fromArrival, fromStart]).toEqual(["at_risk", "at_risk"]);
  });
});

describe("describeDue", () => {
  const dueAt = at("2026-01-14T15:00:00Z");

  it.each<[string, string]>([
    ["2026-01-14T11:50:00Z", "due in 3 h 10 min"],
    ["2026-01-14T12:00:00Z", "due in 3 h"],
    ["2026-01-14T14:35:00Z", "due in 25 min"],
    ["2026-01-14T14:59:30Z", "due in 1 min"],
    ["2026-01-14T15:00:00Z", "due now"],
    ["2026-01-14T15:00:30Z", "breached just now"],
    ["2026-01-14T15:25:00Z", "breached 25 min ago"],
    ["2026-01-14T15:25:59Z", "breached 25 min ago"],
    ["2026-01-14T18:05:00Z", "breached 3 h 5 min ago"],
    ["2026-01-12T11:00:00Z", "due in 2 d 4 h"],
    ["2026-01-16T15:10:00Z", "breached 2 d ago"],
  ])("at %s reads %j", (now, text) => {
    expect(describeDue({ dueAt, now: at(now) })).toBe(text);
  });

  it("formats durations in days, hours and minutes", () => {
    expect([0, 59, 60, 61, 1439, 1440, 1500, 2940].map(formatMinutes)).toEqual([
      "0 min",
      "59 min",
      "1 h",
      "1 h 1 min",
      "23 h 59 min",
      "1 d",
      "1 d 1 h",
      "2 d 1 h",
    ]);
  });
});
