/**
 * UTC offsets of an IANA zone, read from Intl once per zone and year and then answered by arithmetic.
 * A year's offsets are probed every day and each change is located to the second by bisection, so
 * any transition is found unless two cancel each other within one day (no zone has ever done that).
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    offsetFormatters.set(timeZone, formatter);
  }
  return formatter;
}

// "GMT", "GMT+05:30", "GMT-00:01:15" (historic local mean time has seconds).
const longOffsetPattern = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Offset in ms (local wall clock minus UTC) at instant t, straight from Intl. */
function probeOffset(timeZone: string, t: number): number {
  const text = offsetFormatter(timeZone).format(t);
  const match = longOffsetPattern.exec(text);
  if (!match) throw new Error(`Cannot read the UTC offset of ${timeZone} from "${text}"`);
  const [, sign, hours = "0", minutes = "0", seconds = "0"] = match;
  if (!sign) return 0;
  const magnitude = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
  return sign === "-" ? -magnitude : magnitude;
}

interface ZoneYear {
  start: number;
  end: number;
  /** offsets[0] holds from `start`; offsets[i + 1] from changes[i]. */
  offsets: number[];
  changes: number[];
}

const zoneYears = new Map<string, ZoneYear>();

function zoneYear(timeZone: string, year: number): ZoneYear {
  const key = `${timeZone}|${year}`;
  const cached = zoneYears.get(key);
  if (cached) return cached;

  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const offsets = [probeOffset(timeZone, start)];
  const changes: number[] = [];
  let before = start;
  let beforeOffset = offsets[0] ?? 0;
  const lastSecond = end - 1000;
  for (let probe = start + DAY_MS; before < lastSecond; probe += DAY_MS) {
    const at = Math.min(probe, lastSecond);
    const atOffset = probeOffset(timeZone, at);
    while (beforeOffset !== atOffset) {
      const change = firstChangeAfter(timeZone, before, beforeOffset, at);
      before = change;
      beforeOffset = probeOffset(timeZone, change);
      changes.push(change);
      offsets.push(beforeOffset);
    }
    before = at;
  }
  const computed: ZoneYear = { start, end, offsets, changes };
  zoneYears.set(key, computed);
  return computed;
}

/** First whole second in (from, to] whose offset differs from `offset`, given that `to`'s does. */
function firstChangeAfter(timeZone: string, from: number, offset: number, to: number): number {
  let low = from;
  let high = to;
  while (high - low > 1000) {
    const middle = low + Math.max(1, Math.floor((high - low) / 2000)) * 1000;
    if (probeOffset(timeZone, middle) === offset) low = middle;
    else high = middle;
  }
  return high;
}

export interface OffsetSegment {
  /** Local wall clock minus UTC, in ms, throughout the segment. */
  offset: number;
  /** First instant after the segment (the next offset change, or the end of the UTC year). */
  until: number;
}

/** The offset in force at instant t and how long it lasts. */
export function offsetSegment(timeZone: string, t: number): OffsetSegment {
  const year = zoneYear(timeZone, new Date(t).getUTCFullYear());
  let index = 0;
  while (index < year.changes.length && (year.changes[index] ?? Infinity) <= t) index++;
  return { offset: year.offsets[index] ?? 0, until: year.changes[index] ?? year.end };
}

export function offsetAt(timeZone: string, t: number): number {
  return offsetSegment(timeZone, t).offset;
}

/** The wall clock in the zone at instant t, as ms since 1970-01-01T00:00 of that wall clock. */
export function wallClockAt(timeZone: string, t: number): number {
  return t + offsetAt(timeZone, t);
}

/** Whole days since 1970-01-01 (a Thursday) of a wall-clock time. */
export function dayNumberOf(wallClock: number): number {
  return Math.floor(wallClock / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export function dayOfWeekOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}
