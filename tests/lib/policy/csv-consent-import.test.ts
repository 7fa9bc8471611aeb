import { describe, expect, it } from "vitest";
import { parseConsentCsv } from "@/lib/policy/csv-consent-import";
import { normalizePhoneE164 } from "@/lib/policy/phone";

const now = new Date("2026-03-01T12:00:00.000Z");
const read = (text: string) => parseConsentCsv(text, { now });

describe("parseConsentCsv", () => {
  it("reads good rows into ledger-ready values", () => {
    const csv = [
      "phone,purpose,action,source,evidence,recorded_at",
      '+7 (912) 345-67-89,marketing,opt_in,web_form,"Ticked ""Send me offers on WhatsApp""",2026-02-10T09:30:00+03:00',
      "+44 20 7946 0958,service,opt_out,,,2026-02-11",
      "15550100001,Service,Opt-In,event_registration,Signed the form at the expo,2026-02-12T10:00:00Z",
    ].join("\n");
    expect(read(csv)).toEqual({
      validRows: [
        {
          row: 2,
          phone: "+79123456789",
          waId: "79123456789",
          purpose: "marketing",
          action: "opt_in",
          source: "web_form",
          evidence: 'Ticked "Send me offers on WhatsApp"',
          recordedAt: new Date("2026-02-10T06:30:00.000Z"),
        },
        {
          row: 3,
          phone: "+442079460958",
          waId: "442079460958",
          purpose: "service",
          action: "opt_out",
          source: "import",
          evidence: null,
          recordedAt: new Date("2026-02-11T00:00:00.000Z"),
        },
        {
          row: 4,
          phone: "+15550100001",
          waId: "15550100001",
          purpose: "service",
          action: "opt_in",
          source: "event_registration",
          evidence: "Signed the form at the expo",
          recordedAt: new Date("2026-02-12T10:00:00.000Z"),
        },
      ],
      errors: [],
      ignoredColumns: [],
    });
  });

  it("records the time of the import when recorded_at is left out", () => {
    const { validRows } = read("wa_id,purpose,action\n79123456789,service,opt_out\n");
    expect(validRows[0]).toMatchObject({ phone: "+79123456789", recordedAt: now, source: "import" });
  });

  it("reports each bad value with its row and column, and keeps the good rows", () => {
    const csv = [
      "phone,purpose,action,evidence,recorded_at",
      "+79123456789,newsletter,opt_in,Said yes,2026-01-01",
      "8 912 345-67-89,service,opt_out,,",
      "+7 912,service,opt_out,,",
      "+79123456780,service,maybe,,",
      "+79123456781,marketing,opt_in,,",
      "+79123456782,service,opt_out,,2026-02-30",
      "+79123456783,service,opt_out,,2026-02-01 10:00",
      "+79123456784,service,opt_out,,2027-01-01",
      ",service,opt_out,,",
      "+79123456785,service,opt_out,,",
    ].join("\n");
    const result = read(csv);
    expect(result.validRows.map((row) => row.row)).toEqual([11]);
    expect(result.errors).toEqual([
      { row: 2, column: "purpose", message: '"newsletter" is not one of service, marketing.' },
      {
        row: 3,
        column: "phone",
        message:
          '"8 912 345-67-89" is not an international phone number: start with the country code (e.g. +7 912 345-67-89); national forms such as 8 912 … are not accepted.',
      },
      { row: 4, column: "phone", message: '"+7 912" has the wrong number of digits for country code +7.' },
      { row: 5, column: "action", message: '"maybe" is not one of opt_in, opt_out.' },
      {
        row: 6,
        column: "evidence",
        message: "An opt-in needs its evidence: the words the customer saw or sent when they agreed.",
      },
      {
        row: 7,
        column: "recorded_at",
        message:
          '"2026-02-30" is not a date: use ISO 8601 with a time zone, e.g. 2025-05-12T14:30:00+03:00, or a date, 2025-05-12.',
      },
      {
        row: 8,
        column: "recorded_at",
        message: '"2026-02-01 10:00" has no time zone: add one, e.g. 2026-02-01T10:00Z or +03:00.',
      },
      { row: 9, column: "recorded_at", message: "2027-01-01T00:00:00.000Z is in the future." },
      { row: 10, column: "phone", message: "is required." },
    ]);
  });

  it("reports every bad column of one row", () => {
    const { errors } = read("phone,purpose,action\nnot a phone,x,y\n");
    expect(errors.map((error) => error.column)).toEqual(["phone", "purpose", "action"]);
  });

  it("names the missing columns when the header lacks them", () => {
    expect(read("phone,evidence\n+79123456789,yes\n")).toEqual({
      validRows: [],
      errors: [
        {
          row: 1,
          column: null,
          message:
            "The header has no purpose, no action column. Expected columns: phone (or wa_id), purpose, action, and optionally source, evidence, recorded_at.",
        },
      ],
      ignoredColumns: [],
    });
  });

  it("refuses a header that names a column twice", () => {
    const { errors, validRows } = read(
      "phone,purpose,action,Phone Number\n+79123456789,service,opt_out,+79123456780\n",
    );
    expect(validRows).toEqual([]);
    expect(errors).toEqual([
      {
        row: 1,
        column: "Phone Number",
        message: 'The header names the phone column twice ("phone" and "Phone Number").',
      },
    ]);
  });

  it("ignores columns it does not know and says which", () => {
    const result = read("Name,phone,purpose,action,Notes\nAnna,+79123456789,service,opt_out,VIP\n");
    expect(result.validRows).toHaveLength(1);
    expect(result.ignoredColumns).toEqual(["Name", "Notes"]);
  });

  it("reads a file saved with a byte-order mark and Windows line endings", () => {
    const result = read("\uFEFFphone,purpose,action\r\n+79123456789,service,opt_out\r\n");
    expect(result.errors).toEqual([]);
    expect(result.validRows).toMatchObject([{ row: 2, phone: "+79123456789" }]);
  });

  it("keeps commas, quotes and line breaks inside quoted values", () => {
    const csv =
      'phone,purpose,action,evidence\n+79123456789,marketing,opt_in,"Replied ""Yes, please"",\nthen confirmed"\n+79123456780,service,opt_out,\n';
    const { validRows, errors } = read(csv);
    expect(errors).toEqual([]);
    expect(validRows.map((row) => [row.row, row.evidence])).toEqual([
      [2, 'Replied "Yes, please",\nthen confirmed'],
      [3, null],
    ]);
  });

  it("explains an unquoted comma that adds a value", () => {
    const { errors, validRows } = read(
      "phone,purpose,action,evidence\n+79123456789,marketing,opt_in,Yes, please\n",
    );
    expect(validRows).toEqual([]);
    expect(errors).toEqual([
      {
        row: 2,
        column: null,
        message:
          "This row has 5 values but the header has 4 columns. Put values that contain the separator in double quotes.",
      },
    ]);
  });

  it("reads semicolon-separated files as spreadsheets export them in many locales", () => {
    const { validRows, errors } = read(
      'phone;purpose;action;evidence\n+79123456789;marketing;opt_in;"Да; согласен"\n',
    );
    expect(errors).toEqual([]);
    expect(validRows[0]?.evidence).toBe("Да; согласен");
  });

  it("counts blank lines in row numbers and skips rows that are only separators", () => {
    const { errors } = read(
      "phone,purpose,action\n\n+79123456789,service,opt_out\n,,\n\n+79123456789,bad,opt_out\n",
    );
    expect(errors).toEqual([
      { row: 6, column: "purpose", message: '"bad" is not one of service, marketing.' },
    ]);
  });

  it("reports a quote that is never closed and what it swallowed", () => {
    const { errors, validRows } = read(
      'phone,purpose,action,evidence\n+79123456789,service,opt_out,\n+79123456780,marketing,opt_in,"never closed\n+79123456781,service,opt_out,\n',
    );
    expect(validRows.map((row) => row.row)).toEqual([2]);
    expect(errors).toEqual([
      {
        row: 3,
        column: null,
        message:
          "A double quote opened on this row is never closed, so the rest of the file could not be read.",
      },
    ]);
  });

  it("checks wa_id against phone when a file has both", () => {
    const { errors } = read("phone,wa_id,purpose,action\n+79123456789,79123456780,service,opt_out\n");
    expect(errors).toEqual([
      {
        row: 2,
        column: "wa_id",
        message: "+79123456780 is not the same number as the phone column's +79123456789.",
      },
    ]);
  });

  it("refuses evidence longer than it keeps", () => {
    const { errors } = read(
      `phone,purpose,action,evidence\n+79123456789,marketing,opt_in,${"x".repeat(2001)}\n`,
    );
    expect(errors).toEqual([{ row: 2, column: "evidence", message: "is longer than 2000 characters." }]);
  });

  it("reports an empty file", () => {
    expect(read("").errors).toEqual([
      {
        row: 1,
        column: null,
        message:
          "The file is empty. Expected columns: phone (or wa_id), purpose, action, and optionally source, evidence, recorded_at.",
      },
    ]);
    expect(read("\uFEFF\n\n").errors).toHaveLength(1);
  });

  it("reports a file with a header and no rows", () => {
    expect(read("phone,purpose,action\n")).toEqual({
      validRows: [],
      errors: [{ row: 1, column: null, message: "The file has a header but no rows to import." }],
      ignoredColumns: [],
    });
  });
});

describe("normalizePhoneE164", () => {
  it.each([
    ["+7 (912) 345-67-89", "+79123456789"],
    ["79123456789", "+79123456789"],
    ["0079123456789", "+79123456789"],
    ["+1 555 010 0001", "+15550100001"],
    ["+44 20 7946 0958", "+442079460958"],
    ["+380 44 123 4567", "+380441234567"],
    ["\u00A0+49 30 901820\u00A0", "+4930901820"],
  ])("normalizes %j to %s", (input, e164) => {
    expect(normalizePhoneE164(input)).toEqual({ ok: true, e164, waId: e164.slice(1) });
  });

  it.each([
    ["", /^is empty$/],
    ["8 912 345-67-89", /national forms/],
    ["+7 912", /wrong number of digits for country code \+7/],
    ["+44 20 7946 0958 1234", /wrong number of digits/],
    ["+1 800 FLOWERS", /digits, spaces, brackets or dashes only/],
    ["+7 912 345 67 89 ext. 12", /digits, spaces, brackets or dashes only/],
    ["0912345678", /must start with the country code/],
    ["+999 1234 5678", /not an international phone number/],
  ])("refuses %j", (input, message) => {
    const result = normalizePhoneE164(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toMatch(message);
  });
});
