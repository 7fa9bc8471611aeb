import { describe, expect, it } from "vitest";
import { describeZodError } from "@/lib/http/errors";
import {
  describeOpeningHours,
  offHoursTemplateSchema,
  offHoursValues,
  renderOffHoursReply,
  shouldSendOffHoursReply,
} from "@/lib/sla/off-hours";
import { at, calendar, everyDay, weekdaysOnly } from "../../support/sla";

const london = calendar({ timeZone: "Europe/London" });
const londonSplit = calendar({
  timeZone: "Europe/London",
  weeklyHours: weekdaysOnly(["09:00", "12:00"], ["13:00", "18:00"]),
});
const tokyo = calendar({ timeZone: "Asia/Tokyo" });

describe("shouldSendOffHoursReply", () => {
  it.each<[string, string, string | null, boolean]>([
    ["not while the business is open", "2026-01-09T12:00:00Z", null, false],
    ["the first message after closing", "2026-01-09T19:00:00Z", null, true],
    ["not twice the same evening", "2026-01-09T23:00:00Z", "2026-01-09T19:00:00Z", false],
    ["not again over the same weekend", "2026-01-11T20:00:00Z", "2026-01-09T19:00:00Z", false],
    [
      "again once the business has opened and closed since",
      "2026-01-12T19:00:00Z",
      "2026-01-09T19:00:00Z",
      true,
    ],
    [
      "when the last one was sent before the business last opened",
      "2026-01-13T07:00:00Z",
      "2026-01-12T07:30:00Z",
      true,
    ],
    ["not when the last one is dated after now", "2026-01-09T19:00:00Z", "2026-01-09T20:00:00Z", false],
  ])("sends %s", (_name, now, lastAutoReplyAt, send) => {
    expect(
      shouldSendOffHoursReply({
        calendar: london,
        now: at(now),
        lastAutoReplyAt: lastAutoReplyAt ? at(lastAutoReplyAt) : null,
      }),
    ).toBe(send);
  });

  it("treats a lunch break as its own off-hours period", () => {
    const lunch = at("2026-01-12T12:10:00Z");
    expect(shouldSendOffHoursReply({ calendar: londonSplit, now: lunch, lastAutoReplyAt: null })).toBe(true);
    expect(
      shouldSendOffHoursReply({
        calendar: londonSplit,
        now: at("2026-01-12T12:40:00Z"),
        lastAutoReplyAt: lunch,
      }),
    ).toBe(false);
    expect(
      shouldSendOffHoursReply({
        calendar: londonSplit,
        now: at("2026-01-12T18:30:00Z"),
        lastAutoReplyAt: lunch,
      }),
    ).toBe(true);
  });
});

describe("renderOffHoursReply", () => {
  it("tells a Friday-evening customer the team is back on Monday at 9:00", () => {
    expect(renderOffHoursReply({ calendar: london, now: at("2026-01-09T19:00:00Z") })).toBe(
      "Thank you for your message. Our team is available Monday to Friday, 9:00–18:00. " +
        "We will reply when we are back on Monday at 9:00.",
    );
  });

  it.each<[string, typeof london, string, string]>([
    ["today before opening", london, "2026-01-13T07:00:00Z", "today at 9:00"],
    ["tomorrow after closing", london, "2026-01-13T19:00:00Z", "tomorrow at 9:00"],
    [
      "today when it is already tomorrow in London but not in UTC",
      london,
      "2026-07-13T23:30:00Z",
      "today at 9:00",
    ],
    ["after lunch on a split shift", londonSplit, "2026-01-12T12:10:00Z", "today at 13:00"],
  ])("says %s", (_name, businessCalendar, now, nextOpening) => {
    expect(offHoursValues({ calendar: businessCalendar, now: at(now) }).next_opening).toBe(nextOpening);
  });

  it("gives the date when the team is away for more than a week", () => {
    const summerBreak = calendar({
      timeZone: "Europe/London",
      holidays: Array.from({ length: 14 }, (_, day) => ({
        date: new Date(Date.UTC(2026, 7, 1 + day)).toISOString().slice(0, 10),
      })),
    });
    expect(offHoursValues({ calendar: summerBreak, now: at("2026-07-31T19:00:00+01:00") })).toEqual({
      next_opening: "on Monday 17 August at 9:00",
      next_opening_date: "Monday 17 August",
      next_opening_time: "9:00",
      opening_hours: "Monday to Friday, 9:00–18:00",
      time_zone: "Europe/London",
    });
  });

  it("skips holidays when naming the day the team is back", () => {
    const christmas = calendar({
      timeZone: "Europe/London",
      holidays: [{ date: "2020-12-25", recurring: true }, { date: "2026-12-28" }],
    });
    expect(offHoursValues({ calendar: christmas, now: at("2026-12-24T19:00:00Z") }).next_opening).toBe(
      "on Tuesday at 9:00",
    );
  });

  it("speaks in the business's time zone, not the server's", () => {
    // Friday 10:00 UTC is Friday 19:00 in Tokyo.
    expect(renderOffHoursReply({ calendar: tokyo, now: at("2026-01-09T10:00:00Z") })).toBe(
      "Thank you for your message. Our team is available Monday to Friday, 9:00–18:00. " +
        "We will reply when we are back on Monday at 9:00.",
    );
  });

  it("shows the wall-clock time after a clock change", () => {
    const sundays = calendar({
      timeZone: "Europe/London",
      weeklyHours: { sunday: [{ start: "01:30", end: "04:00" }] },
    });
    expect(offHoursValues({ calendar: sundays, now: at("2026-03-28T12:00:00Z") }).next_opening).toBe(
      "tomorrow at 2:00",
    );
  });

  it("fills an inbox's own template and leaves unknown placeholders untouched", () => {
    const template =
      "Hello! We open {{ next_opening_date }} at {{next_opening_time}} ({{time_zone}}). {{agent}}";
    expect(renderOffHoursReply({ calendar: london, now: at("2026-01-09T19:00:00Z"), template })).toBe(
      "Hello! We open Monday 12 January at 9:00 (Europe/London). {{agent}}",
    );
  });
});

describe("describeOpeningHours", () => {
  it.each<[string, Parameters<typeof calendar>[0], string]>([
    [
      "a split shift",
      { timeZone: "UTC", weeklyHours: weekdaysOnly(["09:00", "12:00"], ["13:00", "18:00"]) },
      "Monday to Friday, 9:00–12:00 and 13:00–18:00",
    ],
    [
      "a different Saturday",
      {
        timeZone: "UTC",
        weeklyHours: { ...weekdaysOnly(["09:00", "18:00"]), saturday: [{ start: "10:00", end: "14:00" }] },
      },
      "Monday to Friday, 9:00–18:00; Saturday, 10:00–14:00",
    ],
    [
      "days that are not consecutive",
      {
        timeZone: "UTC",
        weeklyHours: {
          monday: [{ start: "09:00", end: "17:00" }],
          wednesday: [{ start: "09:00", end: "17:00" }],
          friday: [{ start: "09:00", end: "17:00" }],
        },
      },
      "Monday, Wednesday and Friday, 9:00–17:00",
    ],
    [
      "a business that never closes",
      { timeZone: "UTC", weeklyHours: everyDay(["00:00", "24:00"]) },
      "every day, all day",
    ],
    [
      "a weekend shift",
      {
        timeZone: "UTC",
        weeklyHours: {
          saturday: [{ start: "08:00", end: "20:00" }],
          sunday: [{ start: "08:00", end: "20:00" }],
        },
      },
      "Saturday and Sunday, 8:00–20:00",
    ],
  ])("describes %s", (_name, input, text) => {
    expect(describeOpeningHours(calendar(input))).toBe(text);
  });
});

describe("offHoursTemplateSchema", () => {
  function refusal(input: unknown): string {
    const result = offHoursTemplateSchema.safeParse(input);
    if (result.success) throw new Error("expected the template to be refused");
    return describeZodError(result.error);
  }

  it("accepts the known variables", () => {
    expect(offHoursTemplateSchema.parse(" Back {{next_opening}}, {{ opening_hours }}. ")).toBe(
      "Back {{next_opening}}, {{ opening_hours }}.",
    );
  });

  it.each<[string, unknown, string]>([
    ["an empty text", "   ", "the off-hours reply cannot be empty"],
    ["a text that is too long", "x".repeat(1001), "the off-hours reply has at most 1000 characters"],
    [
      "an unknown variable",
      "We are back {{next_openning}} — {{name}}",
      "unknown variable {{next_openning}}, {{name}}: use {{next_opening}}, {{next_opening_date}}, " +
        "{{next_opening_time}}, {{opening_hours}}, {{time_zone}}",
    ],
  ])("refuses %s", (_name, input, message) => {
    expect(refusal(input)).toBe(message);
  });
});
