import { describe, expect, it } from "vitest";
import { initials } from "@/lib/client/format";

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
