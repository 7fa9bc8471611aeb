import { describe, expect, it } from "vitest";
import { calendarDayShort, initials } from "@/lib/client/format";

describe("initials", () => {
  it("takes the first letter of the first two words", () => {
    expect(initials("sheena nelson")).toBe("SN");
    expect(initials(null)).toBe("?");
  });

  it("keeps an emoji whole instead of half a surrogate pair", () => {
    expect(initials("😀 Smile")).toBe("😀S");
    expect(initials("😀 Smile")).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe("calendarDayShort", () => {
  it("names the day itself, even where that midnight is still the day before", () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/Los_Angeles";
    try {
      expect(calendarDayShort("2026-11-06")).toMatch(/^(Nov 6|6 Nov)$/);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
