import { afterEach, describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isOpenAt,
  nextOpening,
  openPeriodsBetween,
} from "@/lib/sla/business-time";
import { type BusinessCalendar } from "@/lib/sla/calendar";
import { at, calendar, everyDay, weekdaysOnly } from "../../support/sla";

const london = calendar({ timeZone: "Europe/London" });
const newYork = calendar({ timeZone: "America/New_York" });
const londonSplit = calendar({
  timeZone: "Europe/London",
  weeklyHours: weekdaysOnly(["09:00", "12:00"], ["13:00", "18:00"]),
});
const londonEveryDay = calendar({ timeZone: "Europe/London", weeklyHours: everyDay(["09:00", "18:00"]) });
const londonNights = calendar({ timeZone: "Europe/London", weeklyHours: everyDay(["00:00", "06:00"]) });
const newYorkNights = calendar({ timeZone: "America/New_York", weeklyHours: everyDay(["00:00", "06:00"]) });
const londonBankHoliday = calendar({
  timeZone: "Europe/London",
  holidays: [{ date: "2026-05-04", name: "Early May bank holiday" }],
});
const newYearEveryYear = calendar({
  timeZone: "Europe/London",
  holidays: [{ date: "2000-01-01", recurring: true, name: "New Year's Day" }],
});
const tokyo = calendar({ timeZone: "Asia/Tokyo" });
const sydney = calendar({ timeZone: "Australia/Sydney" });
const kathmandu = calendar({ timeZone: "Asia/Kathmandu" });
// Chile changes its clocks at midnight: 5 Apr 2026 00:00 → 4 Apr 23:00, 6 Sep 2026 00:00 → 01:00.
const santiagoLateShift = calendar({
  timeZone: "America/Santiago",
  weeklyHours: { saturday: [{ start: "22:00", end: "24:00" }], sunday: [{ start: "00:00", end: "06:00" }] },
});

function onlySunday(start: string, end: string, timeZone = "Europe/London"): BusinessCalendar {
  return calendar({ timeZone, weeklyHours: { sunday: [{ start, end }] } });
}

describe("addBusinessMinutes", () => {
  it.each<[string, BusinessCalendar, string, number, string]>([
    [
      "Friday 17:30 + 1 business hour is Monday 09:30",
      london,
      "2026-01-09T17:30:00Z",
      60,
      "2026-01-12T09:30:00Z",
    ],
    [
      "a target that ends at closing time is due at closing time",
      london,
      "2026-01-09T17:00:00Z",
      60,
      "2026-01-09T18:00:00Z",
    ],
    ["time before opening does not count", london, "2026-01-12T07:00:00Z", 30, "2026-01-12T09:30:00Z"],
    [
      "a weekend over London's spring-forward keeps 09:30 on the wall clock",
      london,
      "2026-03-27T17:30:00Z",
      60,
      "2026-03-30T09:30:00+01:00",
    ],
    [
      "a weekend over London's fall-back keeps 09:30 on the wall clock",
      london,
      "2026-10-23T17:30:00+01:00",
      60,
      "2026-10-26T09:30:00Z",
    ],
    [
      "a weekend over New York's spring-forward",
      newYork,
      "2026-03-06T17:30:00-05:00",
      60,
      "2026-03-09T09:30:00-04:00",
    ],
    [
      "a weekend over New York's fall-back",
      newYork,
      "2026-11-01T12:00:00-05:00",
      60,
      "2026-11-02T10:00:00-05:00",
    ],
    [
      "Friday 17:30 before New York's fall-back",
      newYork,
      "2026-10-30T17:30:00-04:00",
      60,
      "2026-11-02T09:30:00-05:00",
    ],
    [
      "hours that do not cross the change on London's spring-forward Sunday",
      londonEveryDay,
      "2026-03-28T17:30:00Z",
      60,
      "2026-03-29T09:30:00+01:00",
    ],
    [
      "hours that do not cross the change on London's fall-back Sunday",
      londonEveryDay,
      "2026-10-25T17:30:00Z",
      60,
      "2026-10-26T09:30:00Z",
    ],
    [
      "hours across London's spring-forward skip the missing hour",
      londonNights,
      "2026-03-29T00:30:00Z",
      60,
      "2026-03-29T02:30:00+01:00",
    ],
    [
      "hours across London's fall-back count the repeated hour twice",
      londonNights,
      "2026-10-25T00:30:00+01:00",
      120,
      "2026-10-25T01:30:00Z",
    ],
    [
      "hours across New York's spring-forward skip the missing hour",
      newYorkNights,
      "2026-03-08T01:30:00-05:00",
      60,
      "2026-03-08T03:30:00-04:00",
    ],
    [
      "hours across New York's fall-back count the repeated hour twice",
      newYorkNights,
      "2026-11-01T01:30:00-04:00",
      60,
      "2026-11-01T01:30:00-05:00",
    ],
    ["a split shift skips lunch", londonSplit, "2026-01-12T11:30:00Z", 60, "2026-01-12T13:30:00Z"],
    [
      "a split shift carries Friday's last half hour to Monday",
      londonSplit,
      "2026-01-09T17:30:00Z",
      60,
      "2026-01-12T09:30:00Z",
    ],
    [
      "a split shift starts a lunchtime clock after lunch",
      londonSplit,
      "2026-01-12T12:15:00Z",
      30,
      "2026-01-12T13:30:00Z",
    ],
    [
      "a one-off holiday Monday moves the deadline to Tuesday",
      londonBankHoliday,
      "2026-05-01T17:30:00+01:00",
      60,
      "2026-05-05T09:30:00+01:00",
    ],
    [
      "a recurring holiday closes the date in later years",
      newYearEveryYear,
      "2028-12-29T17:30:00Z",
      60,
      "2029-01-02T09:30:00Z",
    ],
    [
      "a business in Tokyo counts Tokyo's hours",
      tokyo,
      "2026-01-09T17:30:00+09:00",
      60,
      "2026-01-12T09:30:00+09:00",
    ],
    [
      "a business in Sydney over the autumn clock change",
      sydney,
      "2026-04-03T17:30:00+11:00",
      60,
      "2026-04-06T09:30:00+10:00",
    ],
    [
      "a business on a quarter-hour offset",
      kathmandu,
      "2026-01-09T17:30:00+05:45",
      60,
      "2026-01-12T09:30:00+05:45",
    ],
    [
      "a midnight fall-back repeats the last hour of Saturday",
      santiagoLateShift,
      "2026-04-04T22:00:00-03:00",
      150,
      "2026-04-04T23:30:00-04:00",
    ],
    [
      "zero minutes is the start itself, open or not",
      london,
      "2026-01-10T11:00:00Z",
      0,
      "2026-01-10T11:00:00Z",
    ],
  ])("%s", (_name, businessCalendar, start, minutes, due) => {
    expect(addBusinessMinutes(businessCalendar, at(start), minutes)).toEqual(at(due));
  });

  it("refuses negative or non-finite minutes and invalid dates", () => {
    expect(() => addBusinessMinutes(london, at("2026-01-09T12:00:00Z"), -1)).toThrow(
      "minutes must be zero or more (got -1)",
    );
    expect(() => addBusinessMinutes(london, at("2026-01-09T12:00:00Z"), Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessMinutes(london, new Date("not a date"), 10)).toThrow("start is not a valid date");
  });
});

const englandBankHolidays2026 = calendar({
  timeZone: "Europe/London",
  holidays: [
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-04",
    "2026-05-25",
    "2026-08-31",
    "2026-12-25",
    "2026-12-28",
  ].map((date) => ({ date })),
});

describe("a whole year", () => {
  // 2026 has 261 weekdays; 8 are bank holidays in England.
  const workingYear = 253 * 9 * 60;

  it("holds 253 working days of 9 hours", () => {
    expect(
      businessMinutesBetween(englandBankHolidays2026, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")),
    ).toBe(workingYear);
  });

  it("ends at closing time on the last working day when all of it is added", () => {
    expect(addBusinessMinutes(englandBankHolidays2026, at("2026-01-01T00:00:00Z"), workingYear)).toEqual(
      at("2026-12-31T18:00:00Z"),
    );
  });
});

describe("businessMinutesBetween", () => {
  it.each<[string, BusinessCalendar, string, string, number]>([
    [
      "a Monday-to-Friday week holds 45 hours",
      london,
      "2026-01-12T00:00:00Z",
      "2026-01-19T00:00:00Z",
      45 * 60,
    ],
    [
      "a week with a holiday Monday holds 36 hours",
      londonBankHoliday,
      "2026-05-04T00:00:00+01:00",
      "2026-05-11T00:00:00+01:00",
      36 * 60,
    ],
    ["a split-shift day holds 8 hours", londonSplit, "2026-01-12T00:00:00Z", "2026-01-13T00:00:00Z", 8 * 60],
    [
      "09:00–18:00 on London's spring-forward Sunday is 9 hours",
      onlySunday("09:00", "18:00"),
      "2026-03-28T12:00:00Z",
      "2026-03-30T12:00:00Z",
      9 * 60,
    ],
    [
      "09:00–18:00 on London's fall-back Sunday is 9 hours",
      onlySunday("09:00", "18:00"),
      "2026-10-24T12:00:00Z",
      "2026-10-26T12:00:00Z",
      9 * 60,
    ],
    [
      "00:00–06:00 on London's spring-forward Sunday is 5 hours",
      onlySunday("00:00", "06:00"),
      "2026-03-28T12:00:00Z",
      "2026-03-30T12:00:00Z",
      5 * 60,
    ],
    [
      "00:00–06:00 on London's fall-back Sunday is 7 hours",
      onlySunday("00:00", "06:00"),
      "2026-10-24T12:00:00Z",
      "2026-10-26T12:00:00Z",
      7 * 60,
    ],
    [
      "00:00–06:00 on New York's spring-forward Sunday is 5 hours",
      onlySunday("00:00", "06:00", "America/New_York"),
      "2026-03-07T12:00:00Z",
      "2026-03-09T12:00:00Z",
      5 * 60,
    ],
    [
      "00:00–06:00 on New York's fall-back Sunday is 7 hours",
      onlySunday("00:00", "06:00", "America/New_York"),
      "2026-10-31T12:00:00Z",
      "2026-11-02T12:00:00Z",
      7 * 60,
    ],
    [
      "09:00–18:00 on New York's spring-forward Sunday is 9 hours",
      onlySunday("09:00", "18:00", "America/New_York"),
      "2026-03-07T12:00:00Z",
      "2026-03-09T12:00:00Z",
      9 * 60,
    ],
    [
      "an interval inside the skipped hour never opens",
      onlySunday("01:15", "01:45"),
      "2026-03-28T12:00:00Z",
      "2026-03-30T12:00:00Z",
      0,
    ],
    [
      "an interval inside the repeated hour opens twice",
      onlySunday("01:15", "01:45"),
      "2026-10-24T12:00:00Z",
      "2026-10-26T12:00:00Z",
      60,
    ],
    [
      "an interval opening in the skipped hour opens when the clocks jump",
      onlySunday("01:30", "04:00"),
      "2026-03-28T12:00:00Z",
      "2026-03-30T12:00:00Z",
      2 * 60,
    ],
    [
      "a midnight spring-forward shortens the night",
      santiagoLateShift,
      "2026-09-05T22:00:00-04:00",
      "2026-09-06T06:00:00-03:00",
      7 * 60,
    ],
    [
      "a midnight fall-back lengthens Saturday night",
      santiagoLateShift,
      "2026-04-04T12:00:00-03:00",
      "2026-04-05T12:00:00-04:00",
      9 * 60,
    ],
    ["a closed weekend holds nothing", london, "2026-01-09T18:00:00Z", "2026-01-12T09:00:00Z", 0],
    ["it is negative when the end comes first", london, "2026-01-12T10:00:00Z", "2026-01-09T17:00:00Z", -120],
  ])("%s", (_name, businessCalendar, from, to, minutes) => {
    expect(businessMinutesBetween(businessCalendar, at(from), at(to))).toBe(minutes);
  });
});

describe("isOpenAt and nextOpening", () => {
  it.each<[string, BusinessCalendar, string, boolean]>([
    ["open at opening time", london, "2026-01-09T09:00:00Z", true],
    ["open a moment before closing", london, "2026-01-09T17:59:59.999Z", true],
    ["closed at closing time", london, "2026-01-09T18:00:00Z", false],
    ["closed on Saturday", london, "2026-01-10T12:00:00Z", false],
    ["closed over lunch on a split shift", londonSplit, "2026-01-12T12:30:00Z", false],
    ["closed on a holiday", londonBankHoliday, "2026-05-04T12:00:00+01:00", false],
    [
      "closed on Tokyo's Saturday night though it is Friday afternoon in UTC",
      tokyo,
      "2026-01-09T16:00:00Z",
      false,
    ],
    [
      "open on Sydney's Monday morning though it is Sunday night in UTC",
      sydney,
      "2026-01-11T22:30:00Z",
      true,
    ],
    [
      "open during the first pass of the repeated hour",
      onlySunday("01:15", "01:45"),
      "2026-10-25T01:30:00+01:00",
      true,
    ],
    [
      "open during the second pass of the repeated hour",
      onlySunday("01:15", "01:45"),
      "2026-10-25T01:30:00Z",
      true,
    ],
  ])("%s", (_name, businessCalendar, instant, open) => {
    expect(isOpenAt(businessCalendar, at(instant))).toBe(open);
  });

  it.each<[string, BusinessCalendar, string, string]>([
    ["is the instant itself during open hours", london, "2026-01-09T10:15:00Z", "2026-01-09T10:15:00Z"],
    ["is Monday 09:00 from a Saturday", london, "2026-01-10T11:00:00Z", "2026-01-12T09:00:00Z"],
    ["is after lunch on a split shift", londonSplit, "2026-01-12T12:00:00Z", "2026-01-12T13:00:00Z"],
    ["skips a holiday Monday", londonBankHoliday, "2026-05-02T10:00:00+01:00", "2026-05-05T09:00:00+01:00"],
    [
      "is the clock jump when the interval opens inside the skipped hour",
      onlySunday("01:30", "04:00"),
      "2026-03-28T12:00:00Z",
      "2026-03-29T02:00:00+01:00",
    ],
    [
      "is 01:00 when a midnight spring-forward removes 00:00",
      calendar({ timeZone: "America/Santiago", weeklyHours: { sunday: [{ start: "00:00", end: "06:00" }] } }),
      "2026-09-05T12:00:00-04:00",
      "2026-09-06T01:00:00-03:00",
    ],
    [
      "is Tokyo's Monday 09:00 from Tokyo's Friday evening",
      tokyo,
      "2026-01-09T19:00:00+09:00",
      "2026-01-12T09:00:00+09:00",
    ],
  ])("nextOpening %s", (_name, businessCalendar, instant, opening) => {
    expect(nextOpening(businessCalendar, at(instant))).toEqual(at(opening));
  });
});

describe("openPeriodsBetween", () => {
  it("joins hours that run through midnight into one period", () => {
    const nights = calendar({
      timeZone: "Europe/London",
      weeklyHours: {
        friday: [{ start: "22:00", end: "24:00" }],
        saturday: [{ start: "00:00", end: "06:00" }],
      },
    });
    expect(openPeriodsBetween(nights, at("2026-01-09T00:00:00Z"), at("2026-01-11T00:00:00Z"))).toEqual([
      { start: at("2026-01-09T22:00:00Z"), end: at("2026-01-10T06:00:00Z") },
    ]);
  });

  it("lists the two passes of an interval inside the repeated hour", () => {
    expect(
      openPeriodsBetween(
        onlySunday("01:15", "01:45"),
        at("2026-10-24T12:00:00Z"),
        at("2026-10-26T12:00:00Z"),
      ),
    ).toEqual([
      { start: at("2026-10-25T01:15:00+01:00"), end: at("2026-10-25T01:45:00+01:00") },
      { start: at("2026-10-25T01:15:00Z"), end: at("2026-10-25T01:45:00Z") },
    ]);
  });

  it("clips periods to the range asked for", () => {
    expect(openPeriodsBetween(london, at("2026-01-09T17:00:00Z"), at("2026-01-12T10:00:00Z"))).toEqual([
      { start: at("2026-01-09T17:00:00Z"), end: at("2026-01-09T18:00:00Z") },
      { start: at("2026-01-12T09:00:00Z"), end: at("2026-01-12T10:00:00Z") },
    ]);
  });
});

describe("independence from the host's time zone", () => {
  const hostZone = process.env.TZ;
  afterEach(() => {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  it("gives the same answers whatever zone the server runs in", () => {
    const answers = (): string[] => [
      addBusinessMinutes(london, at("2026-03-27T17:30:00Z"), 60).toISOString(),
      addBusinessMinutes(tokyo, at("2026-01-09T17:30:00+09:00"), 600).toISOString(),
      addBusinessMinutes(sydney, at("2026-04-03T17:30:00+11:00"), 60).toISOString(),
      nextOpening(newYork, at("2026-11-01T12:00:00Z")).toISOString(),
      String(businessMinutesBetween(londonNights, at("2026-10-24T12:00:00Z"), at("2026-10-26T12:00:00Z"))),
    ];
    process.env.TZ = "UTC";
    const inUtc = answers();
    for (const zone of ["America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kolkata"]) {
      process.env.TZ = zone;
      expect(answers()).toEqual(inUtc);
    }
  });
});
