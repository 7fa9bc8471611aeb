import { parse } from "csv-parse/sync";
import {
  consentActions,
  consentPurposes,
  consentSources,
  type ConsentAction,
  type ConsentPurpose,
  type ConsentSource,
} from "./consent";
import { normalizePhoneE164 } from "./phone";

/**
 * Reads a consent CSV (columns: phone or wa_id, purpose, action, and optionally source, evidence,
 * recorded_at) into ledger-ready rows and a per-row error report; the caller decides what to
 * record. Column rules and row numbering: docs/architecture.md, "Messaging policy".
 */

export const consentCsvColumns = [
  "phone",
  "wa_id",
  "purpose",
  "action",
  "source",
  "evidence",
  "recorded_at",
] as const;
export type ConsentCsvColumn = (typeof consentCsvColumns)[number];

const columnAliases: Record<string, ConsentCsvColumn> = {
  phone: "phone",
  phone_number: "phone",
  msisdn: "phone",
  mobile: "phone",
  wa_id: "wa_id",
  waid: "wa_id",
  whatsapp_id: "wa_id",
  purpose: "purpose",
  action: "action",
  source: "source",
  evidence: "evidence",
  proof: "evidence",
  recorded_at: "recorded_at",
  at: "recorded_at",
  timestamp: "recorded_at",
  date: "recorded_at",
};

export const maxEvidenceLength = 2000;

export type ConsentImportRow = {
  /** The spreadsheet row it came from. */
  row: number;
  /** E.164, "+79123456789". */
  phone: string;
  /** The same number as WhatsApp writes it, "79123456789". */
  waId: string;
  purpose: ConsentPurpose;
  action: ConsentAction;
  source: ConsentSource;
  evidence: string | null;
  recordedAt: Date;
};

export type ConsentImportError = {
  /** The spreadsheet row (the header is row 1). */
  row: number;
  /** The column at fault, as the file names it, or null for the whole row or file. */
  column: string | null;
  message: string;
};

export type ConsentImportResult = {
  validRows: ConsentImportRow[];
  errors: ConsentImportError[];
  ignoredColumns: string[];
};

const expectedColumns =
  "Expected columns: phone (or wa_id), purpose, action, and optionally source, evidence, recorded_at.";

export function parseConsentCsv(text: string, options: { now: Date }): ConsentImportResult {
  const result: ConsentImportResult = { validRows: [], errors: [], ignoredColumns: [] };
  const lines = readRecords(text);

  const header = lines[0];
  if (header === undefined || header.kind === "error") {
    result.errors.push({
      row: 1,
      column: null,
      message: header?.message ?? `The file is empty. ${expectedColumns}`,
    });
    return result;
  }

  const columns = readHeader(header.fields, header.row, result);
  if (columns === undefined) return result;

  let sawDataRow = false;
  for (const line of lines) {
    if (line === header) continue;
    if (line.kind === "error") {
      result.errors.push({ row: line.row, column: null, message: line.message });
      sawDataRow = true;
      continue;
    }
    if (line.fields.every((field) => field.trim() === "")) continue;
    sawDataRow = true;
    if (line.fields.length > header.fields.length) {
      result.errors.push({
        row: line.row,
        column: null,
        message:
          `This row has ${line.fields.length} values but the header has ${header.fields.length} columns. ` +
          "Put values that contain the separator in double quotes.",
      });
      continue;
    }
    const row = readRow(line.row, line.fields, columns, options.now, result.errors);
    if (row !== undefined) result.validRows.push(row);
  }

  if (!sawDataRow) {
    result.errors.push({ row: 1, column: null, message: "The file has a header but no rows to import." });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

type Line =
  { kind: "record"; row: number; fields: string[] } | { kind: "error"; row: number; message: string };

/** Parses with csv-parse, keeping spreadsheet row numbers and going on past a malformed row. */
function readRecords(text: string): Line[] {
  const lines: Line[] = [];
  let nextRow = 1;
  // csv-parse hands back the raw text of each record, with the blank lines skipped before it.
  const place = (raw: string | undefined): number => {
    const blank = /^(?:[ \t]*(?:\r\n|\n|\r))*/.exec(raw ?? "")?.[0] ?? "";
    const row = nextRow + (blank.match(/\r\n|\n|\r/g)?.length ?? 0);
    nextRow = row + 1;
    return row;
  };

  try {
    parseCsv(text, lines, place);
  } catch (error) {
    // Errors in records are reported through on_skip; anything else means the file is unreadable.
    const reason = error instanceof Error ? error.message : String(error);
    lines.push({ kind: "error", row: nextRow, message: `The file could not be read as CSV (${reason}).` });
  }
  return lines;
}

function parseCsv(text: string, lines: Line[], place: (raw: string | undefined) => number): void {
  parse(text, {
    bom: true,
    delimiter: detectDelimiter(text),
    raw: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: unknown, context) => {
      lines.push({ kind: "record", row: place(context.raw), fields: fieldsOf(record) });
      return null;
    },
    on_skip: (error, raw) => {
      const message =
        error?.code === "CSV_QUOTE_NOT_CLOSED"
          ? "A double quote opened on this row is never closed, so the rest of the file could not be read."
          : `This row could not be read as CSV (${error?.message ?? "unknown error"}).`;
      lines.push({ kind: "error", row: place(raw), message });
      return undefined;
    },
  });
}

/** With `raw: true` csv-parse hands on_record `{ record, raw }`, although its types say string[]. */
function fieldsOf(value: unknown): string[] {
  const record = typeof value === "object" && value !== null && "record" in value ? value.record : value;
  return Array.isArray(record) ? record.map((field) => String(field)) : [];
}

/** The separator the header uses: comma, or semicolon/tab as spreadsheets in many locales export. */
function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/, 1)[0] ?? "";
  const counts = [",", ";", "\t"].map((delimiter) => ({
    delimiter,
    count: firstLine.split(delimiter).length - 1,
  }));
  const best = counts.reduce((a, b) => (b.count > a.count ? b : a));
  return best.count > 0 ? best.delimiter : ",";
}

type ColumnMap = Partial<Record<ConsentCsvColumn, { index: number; name: string }>>;

function readHeader(fields: string[], row: number, result: ConsentImportResult): ColumnMap | undefined {
  const columns: ColumnMap = {};
  for (const [index, field] of fields.entries()) {
    const name = field.trim();
    const key = columnAliases[name.toLowerCase().replace(/[\s-]+/g, "_")];
    if (key === undefined) {
      if (name !== "") result.ignoredColumns.push(name);
      continue;
    }
    const previous = columns[key];
    if (previous !== undefined) {
      result.errors.push({
        row,
        column: name,
        message: `The header names the ${key} column twice ("${previous.name}" and "${name}").`,
      });
      continue;
    }
    columns[key] = { index, name };
  }

  const missing: string[] = [];
  if (columns.phone === undefined && columns.wa_id === undefined) missing.push("phone (or wa_id)");
  if (columns.purpose === undefined) missing.push("purpose");
  if (columns.action === undefined) missing.push("action");
  if (missing.length > 0) {
    result.errors.push({
      row,
      column: null,
      message: `The header has no ${missing.join(", no ")} column. ${expectedColumns}`,
    });
  }
  return result.errors.length > 0 ? undefined : columns;
}

function readRow(
  row: number,
  fields: string[],
  columns: ColumnMap,
  now: Date,
  errors: ConsentImportError[],
): ConsentImportRow | undefined {
  const errorCount = errors.length;
  const cell = (column: ConsentCsvColumn): string | undefined => {
    const at = columns[column];
    return at === undefined ? undefined : (fields[at.index] ?? "").trim();
  };
  const fail = (column: ConsentCsvColumn, message: string) => {
    errors.push({ row, column: columns[column]?.name ?? column, message });
  };

  const phone = readPhone(cell("phone"), cell("wa_id"), fail);
  const purpose = readEnum(cell("purpose"), consentPurposes, "purpose", fail);
  const action = readEnum(cell("action"), consentActions, "action", fail);
  const sourceText = cell("source");
  const source = sourceText ? readEnum(sourceText, consentSources, "source", fail) : "import";

  const evidence = cell("evidence") || null;
  if (evidence === null && action === "opt_in") {
    fail("evidence", "An opt-in needs its evidence: the words the customer saw or sent when they agreed.");
  } else if (evidence !== null && evidence.length > maxEvidenceLength) {
    fail("evidence", `is longer than ${maxEvidenceLength} characters.`);
  }

  const recordedAtText = cell("recorded_at");
  const recordedAt = recordedAtText
    ? readTimestamp(recordedAtText, now, (message) => fail("recorded_at", message))
    : now;

  if (errors.length > errorCount || !phone || !purpose || !action || !source || !recordedAt) return undefined;
  return { row, phone: phone.e164, waId: phone.waId, purpose, action, source, evidence, recordedAt };
}

type Fail = (column: ConsentCsvColumn, message: string) => void;

function readPhone(
  phoneText: string | undefined,
  waIdText: string | undefined,
  fail: Fail,
): { e164: string; waId: string } | undefined {
  if (!phoneText && !waIdText) {
    fail(phoneText === undefined ? "wa_id" : "phone", "is required.");
    return undefined;
  }
  const phone = phoneText ? normalizePhoneE164(phoneText) : undefined;
  const waId = waIdText ? normalizePhoneE164(waIdText) : undefined;
  if (phone && !phone.ok) fail("phone", `"${phoneText}" ${phone.message}.`);
  if (waId && !waId.ok) fail("wa_id", `"${waIdText}" ${waId.message}.`);
  if (phone?.ok && waId?.ok && phone.e164 !== waId.e164) {
    fail("wa_id", `${waId.e164} is not the same number as the phone column's ${phone.e164}.`);
    return undefined;
  }
  const chosen = phone?.ok ? phone : waId?.ok ? waId : undefined;
  return chosen && { e164: chosen.e164, waId: chosen.waId };
}

function readEnum<T extends string>(
  text: string | undefined,
  values: readonly T[],
  column: ConsentCsvColumn,
  fail: Fail,
): T | undefined {
  if (!text) {
    fail(column, `is required: one of ${values.join(", ")}.`);
    return undefined;
  }
  const key = text.toLowerCase().replace(/[\s-]+/g, "_");
  const value = values.find((candidate) => candidate === key);
  if (value === undefined) fail(column, `"${text}" is not one of ${values.join(", ")}.`);
  return value;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function readTimestamp(text: string, now: Date, fail: (message: string) => void): Date | undefined {
  const invalid = () => {
    fail(
      `"${text}" is not a date: use ISO 8601 with a time zone, e.g. 2025-05-12T14:30:00+03:00, or a date, 2025-05-12.`,
    );
    return undefined;
  };
  const dateOnly = datePattern.exec(text);
  const dateTime = dateTimePattern.exec(text);
  const parts = dateOnly ?? dateTime;
  if (!parts) return invalid();

  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  if (calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day) return invalid();

  let at = calendarDay;
  if (dateTime) {
    const [hours, minutes, seconds] = [Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6] ?? 0)];
    const zone = dateTime[8];
    if (hours > 23 || minutes > 59 || seconds > 59) return invalid();
    if (zone === undefined) {
      fail(`"${text}" has no time zone: add one, e.g. ${text.replace(" ", "T")}Z or +03:00.`);
      return undefined;
    }
    const fraction = Number(`0.${dateTime[7] ?? "0"}`);
    const offsetMinutes = zone.toUpperCase() === "Z" ? 0 : zoneOffsetMinutes(zone);
    if (offsetMinutes === undefined) return invalid();
    at = new Date(
      Date.UTC(year, month - 1, day, hours, minutes, seconds, Math.floor(fraction * 1000)) -
        offsetMinutes * 60_000,
    );
  }

  if (at.getTime() > now.getTime()) {
    fail(`${at.toISOString()} is in the future.`);
    return undefined;
  }
  return at;
}

/** "+03:00" → 180; undefined for offsets no time zone has. */
function zoneOffsetMinutes(zone: string): number | undefined {
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4))];
  if (hours > 14 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}
