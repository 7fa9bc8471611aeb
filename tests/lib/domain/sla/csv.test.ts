import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "@/lib/domain/sla/csv";

describe("CSV cells", () => {
  it.each<[string, Parameters<typeof csvCell>[0], string]>([
    ["plain text as is", "Maria Garcia", "Maria Garcia"],
    ["a comma by quoting", "Garcia, Maria", '"Garcia, Maria"'],
    ["quotes by doubling them", 'She said "hi"', '"She said ""hi"""'],
    ["a line break by quoting", "line one\nline two", '"line one\nline two"'],
    ["a carriage return by quoting", "a\r\nb", '"a\r\nb"'],
    ["empty for null and undefined", null, ""],
    ["a date as ISO 8601", new Date("2026-03-02T09:00:00Z"), "2026-03-02T09:00:00.000Z"],
    ["numbers as numbers, negative ones unguarded", -12.5, "-12.5"],
    ["a formula starting with = as text", "=1+2", "'=1+2"],
    ["a formula starting with + as text", "+44 20 7946 0000", "'+44 20 7946 0000"],
    ["a formula starting with - as text", "-2+3", "'-2+3"],
    ["a formula starting with @ as text", "@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["a leading tab as text", "\t=1", "'\t=1"],
    [
      "a guarded formula that also needs quoting",
      '=HYPERLINK("http://x","y")',
      '"\'=HYPERLINK(""http://x"",""y"")"',
    ],
    ["Unicode untouched", "Анна Смирнова", "Анна Смирнова"],
  ])("writes %s", (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe("a CSV document", () => {
  it("has a header, one line per row and CRLF line ends", () => {
    expect(
      toCsv(
        ["name", "minutes"],
        [
          ["Dana", 12],
          ["Lee, Jr.", null],
        ],
      ),
    ).toBe('name,minutes\r\nDana,12\r\n"Lee, Jr.",\r\n');
  });
});
