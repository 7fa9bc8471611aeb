import { describe, expect, it } from "vitest";
import { describeZodError } from "@/lib/http/errors";
import { type BusinessCalendar } from "@/lib/sla/calendar";
import {
  clockMinutesBetween,
  clockStartsAt,
  computeDueAt,
  defaultSlaPolicy,
  MAX_TARGET_MINUTES,
  slaPolicySchema,
  type SlaKind,
  type SlaPolicy,
} from "@/lib/sla/policy";
import { at, calendar, weekdaysOnly } from "../../support/sla";

const london = calendar({ timeZone: "Europe/London" });
const londonSplit = calendar({
  timeZone: "Europe/London",
  weeklyHours: weekdaysOnly(["09:00", "12:00"], ["13:00", "18:00"]),
});
const easter2026 = calendar({
  timeZone: "Europe/London",
  holidays: [
    { date: "2026-04-03", name: "Good Friday" },
    { date: "2026-04-06", name: "Easter Monday" },
  ],
});
const christmas = calendar({
  timeZone: "Europe/London",
  holidays: [
    { date: "2020-12-25", recurring: true, name: "Christmas Day" },
    { date: "2020-12-26", recurring: true, name: "Boxing Day" },
    { date: "2026-12-28", name: "Boxing Day (substitute)" },
  ],
});
const tokyo = calendar({ timeZone: "Asia/Tokyo" });
const newYork = calendar({ timeZone: "America/New_York" });

const twentyFourHours = slaPolicySchema.parse({});
const calendarClock = slaPolicySchema.parse({ clock: "calendar", nextResponseMinutes: 90 });
const twoHourNextResponse = slaPolicySchema.parse({ nextResponseMinutes: 120 });

describe("computeDueAt", () => {
  it.each<[string, BusinessCalendar, SlaPolicy, SlaKind, string, string]>([
    [
      "a message on Saturday is due 24 business hours after Monday 09:00",
      london,
      twentyFourHours,
      "first_response",
      "2026-01-10T11:00:00Z",
      "2026-01-14T15:00:00Z",
    ],
    [
      "a message during hours starts its clock at once",
      london,
      twentyFourHours,
      "first_response",
      "2026-01-12T10:00:00Z",
      "2026-01-14T16:00:00Z",
    ],
    [
      "24 hours across the Easter long weekend",
      easter2026,
      twentyFourHours,
      "first_response",
      "2026-04-02T17:00:00+01:00",
      "2026-04-09T14:00:00+01:00",
    ],
    [
      "24 hours across Christmas with recurring and one-off holidays",
      christmas,
      twentyFourHours,
      "first_response",
      "2026-12-24T16:00:00Z",
      "2026-12-31T13:00:00Z",
    ],
    [
      "24 hours on a split shift end at a closing time",
      londonSplit,
      twentyFourHours,
      "first_response",
      "2026-01-12T09:00:00Z",
      "2026-01-14T18:00:00Z",
    ],
    [
      "24 hours over New York's spring-forward weekend",
      newYork,
      twentyFourHours,
      "first_response",
      "2026-03-06T12:00:00-05:00",
      "2026-03-10T18:00:00-04:00",
    ],
    [
      "a message on Tokyo's Monday morning, still Sunday in UTC, waits for 09:00 Tokyo time",
      tokyo,
      twentyFourHours,
      "first_response",
      "2026-01-11T23:30:00Z",
      "2026-01-14T15:00:00+09:00",
    ],
    [
      "the next-response target is its own",
      london,
      twoHourNextResponse,
      "next_response",
      "2026-01-09T17:00:00Z",
      "2026-01-12T10:00:00Z",
    ],
    [
      "the calendar clock counts the weekend",
      london,
      calendarClock,
      "first_response",
      "2026-01-10T11:00:00Z",
      "2026-01-11T11:00:00Z",
    ],
    [
      "the calendar clock ignores opening hours for next responses too",
      london,
      calendarClock,
      "next_response",
      "2026-01-10T23:00:00Z",
      "2026-01-11T00:30:00Z",
    ],
  ])("%s", (_name, businessCalendar, policy, kind, arrivedAt, dueAt) => {
    expect(computeDueAt({ arrivedAt: at(arrivedAt), calendar: businessCalendar, policy, kind })).toEqual(
      at(dueAt),
    );
  });

  it("starts a business-hours clock at the next opening and a calendar clock at arrival", () => {
    const saturday = at("2026-01-10T11:00:00Z");
    expect(clockStartsAt({ arrivedAt: saturday, calendar: london, policy: twentyFourHours })).toEqual(
      at("2026-01-12T09:00:00Z"),
    );
    expect(clockStartsAt({ arrivedAt: saturday, calendar: london, policy: calendarClock })).toEqual(saturday);
  });

  it("measures minutes on the policy's clock", () => {
    const from = at("2026-01-09T17:00:00Z");
    const to = at("2026-01-12T10:00:00Z");
    expect(clockMinutesBetween({ calendar: london, policy: twentyFourHours, from, to })).toBe(120);
    expect(clockMinutesBetween({ calendar: london, policy: calendarClock, from, to })).toBe(65 * 60);
  });

  it("refuses a policy whose target is not positive", () => {
    const zero = { ...twentyFourHours, firstResponseMinutes: 0 };
    expect(() =>
      computeDueAt({
        arrivedAt: at("2026-01-12T10:00:00Z"),
        calendar: london,
        policy: zero,
        kind: "first_response",
      }),
    ).toThrow("the first-response target must be more than zero minutes (got 0)");
  });
});

describe("slaPolicySchema", () => {
  function refusal(input: unknown): string {
    const result = slaPolicySchema.safeParse(input);
    if (result.success) throw new Error("expected the policy to be refused");
    return describeZodError(result.error);
  }

  it("defaults to 24 hours for each response on the business-hours clock", () => {
    expect(defaultSlaPolicy()).toEqual({
      firstResponseMinutes: 1440,
      nextResponseMinutes: 1440,
      clock: "business_hours",
    });
  });

  it("accepts a 30-day target and the calendar clock", () => {
    expect(slaPolicySchema.parse({ firstResponseMinutes: MAX_TARGET_MINUTES, clock: "calendar" })).toEqual({
      firstResponseMinutes: MAX_TARGET_MINUTES,
      nextResponseMinutes: 1440,
      clock: "calendar",
    });
  });

  it.each<[string, unknown, string]>([
    [
      "a zero target",
      { firstResponseMinutes: 0 },
      "firstResponseMinutes: the first-response target must be more than zero minutes (got 0)",
    ],
    [
      "a negative target",
      { nextResponseMinutes: -30 },
      "nextResponseMinutes: the next-response target must be more than zero minutes (got -30)",
    ],
    [
      "a fractional target",
      { firstResponseMinutes: 12.5 },
      "firstResponseMinutes: the first-response target must be a whole number of minutes (got 12.5)",
    ],
    [
      "a target over 30 days",
      { firstResponseMinutes: MAX_TARGET_MINUTES + 1 },
      `firstResponseMinutes: the first-response target must be at most ${MAX_TARGET_MINUTES} minutes (30 days) (got ${MAX_TARGET_MINUTES + 1})`,
    ],
    [
      "a target that is not a number",
      { nextResponseMinutes: "soon" },
      "nextResponseMinutes: the next-response target must be a number of minutes",
    ],
    ["an unknown clock", { clock: "lunar" }, 'clock: the clock must be "business_hours" or "calendar"'],
  ])("refuses %s with a message that says what to fix", (_name, input, message) => {
    expect(refusal(input)).toBe(message);
  });
});
