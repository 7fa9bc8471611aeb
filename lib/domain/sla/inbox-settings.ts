import { eq } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { inboxes, inboxSlaSettings } from "@/lib/db/schema";
import { memoInTransaction, memoizedInTransaction } from "@/lib/db/tx-memo";
import {
  businessCalendarSchema,
  defaultBusinessCalendar,
  isKnownTimeZone,
  type BusinessCalendar,
} from "@/lib/sla/calendar";
import { DEFAULT_OFF_HOURS_TEMPLATE } from "@/lib/sla/off-hours";
import { defaultSlaPolicy, slaPolicySchema, type SlaPolicy } from "@/lib/sla/policy";
import { NotFoundError } from "../errors";

/** An inbox's settings as the clocks use them, defaults filled in. */
export interface InboxSlaSettings {
  inboxId: string;
  inboxName: string;
  calendar: BusinessCalendar;
  policy: SlaPolicy;
  offHoursReply: { enabled: boolean; template: string };
  /** Whether each part was set by an admin (false: the default applies). */
  customized: { calendar: boolean; policy: boolean; offHoursReply: boolean };
  updatedAt: Date | null;
}

/** The default calendar in the inbox's zone; UTC if that zone is unknown to this runtime. */
export function defaultCalendarFor(timeZone: string): BusinessCalendar {
  return defaultBusinessCalendar(isKnownTimeZone(timeZone) ? timeZone : "UTC");
}

/**
 * Reads an inbox's calendar, policy and off-hours reply through the caller's transaction. Stored
 * values are re-validated, so a row written by an older version can never feed the arithmetic
 * something it does not accept.
 */
export function loadInboxSlaSettings(
  tx: Executor,
  inboxId: string,
  { lock }: { lock?: "key share" | "update" } = {},
): Promise<InboxSlaSettings> {
  // A transaction that read them under the clocks' key-share lock has them already: the lock
  // keeps them from changing meanwhile.
  const locked = lock
    ? undefined
    : memoizedInTransaction<InboxSlaSettings>(tx, settingsKey(inboxId, "key share"));
  if (locked) return locked;
  return memoInTransaction(tx, settingsKey(inboxId, lock), () => readInboxSlaSettings(tx, inboxId, lock));
}

/**
 * Stored settings parsed once per distinct value. Every customer message reads its inbox's
 * settings; parsing the calendar and policy each time, and compiling the calendar each time
 * (`business-time` keeps compiled calendars per object), was about 4% of the webhook queue's busy
 * CPU in a profile.
 * The objects are shared between readers, so they are frozen.
 */
const parsedSettings = new Map<string, unknown>();
const PARSED_SETTINGS_KEPT = 200;

function parsedOnce<T>(key: string, parse: () => T): T {
  const kept = parsedSettings.get(key);
  if (kept !== undefined) return kept as T;
  const parsed = deepFreeze(parse());
  if (parsedSettings.size >= PARSED_SETTINGS_KEPT) parsedSettings.clear();
  parsedSettings.set(key, parsed);
  return parsed;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function settingsKey(inboxId: string, lock: "key share" | "update" | undefined): string {
  return `inbox-sla-settings:${inboxId}:${lock ?? "none"}`;
}

async function readInboxSlaSettings(
  tx: Executor,
  inboxId: string,
  lock: "key share" | "update" | undefined,
): Promise<InboxSlaSettings> {
  const query = tx
    .select({
      inboxName: inboxes.name,
      timeZone: inboxes.timeZone,
      calendar: inboxSlaSettings.calendar,
      policy: inboxSlaSettings.policy,
      offHoursReplyEnabled: inboxSlaSettings.offHoursReplyEnabled,
      offHoursReplyTemplate: inboxSlaSettings.offHoursReplyTemplate,
      updatedAt: inboxSlaSettings.updatedAt,
    })
    .from(inboxes)
    .leftJoin(inboxSlaSettings, eq(inboxSlaSettings.inboxId, inboxes.id))
    .where(eq(inboxes.id, inboxId));
  // Clocks read the settings under a key-share lock on the inbox and settings changes take an
  // update lock, so a clock is never started under settings that are being replaced meanwhile.
  const [row] = await (lock ? query.for(lock, { of: inboxes }) : query);
  if (!row) throw new NotFoundError("That inbox does not exist.");
  return {
    inboxId,
    inboxName: row.inboxName,
    calendar: parsedOnce(`calendar:${row.timeZone}:${JSON.stringify(row.calendar)}`, () =>
      row.calendar ? businessCalendarSchema.parse(row.calendar) : defaultCalendarFor(row.timeZone),
    ),
    policy: parsedOnce(`policy:${JSON.stringify(row.policy)}`, () =>
      row.policy ? slaPolicySchema.parse(row.policy) : defaultSlaPolicy(),
    ),
    offHoursReply: {
      enabled: row.offHoursReplyEnabled ?? true,
      template: row.offHoursReplyTemplate ?? DEFAULT_OFF_HOURS_TEMPLATE,
    },
    customized: {
      calendar: row.calendar !== null,
      policy: row.policy !== null,
      offHoursReply: row.offHoursReplyTemplate !== null || row.offHoursReplyEnabled === false,
    },
    updatedAt: row.updatedAt,
  };
}
