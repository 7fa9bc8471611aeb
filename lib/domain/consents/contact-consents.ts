import { inArray } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { users, type ConsentEventRow, type Contact } from "@/lib/db/schema";
import type { ConsentSnapshot } from "@/lib/policy/consent";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { findVisibleContact } from "../contacts/scope";
import { announceConsentChanges } from "./announce";
import { appendConsentEvents, loadConsentHistory, recorderOf, snapshotOf } from "./ledger";
import { loadInboxConsentSettings } from "./settings";
import {
  contactConsentsInput,
  recordContactConsentInput,
  type ContactConsentsInput,
  type RecordContactConsentInput,
} from "./schemas";

export interface ContactConsents {
  contactId: string;
  consent: ConsentSnapshot;
  /** Oldest first, with the name of whoever recorded each event. */
  history: (ConsentEventRow & { recordedByName: string | null })[];
  /**
   * The contact's inbox's own STOP/START keywords, for matchConsentKeyword: the composer tells a
   * keyword from the customer writing again as the ingest does.
   */
  inboxKeywords: { extraOptOut: string[]; extraOptIn: string[] };
}

async function describe(tx: Executor, contact: Contact): Promise<ContactConsents> {
  const history = await loadConsentHistory(tx, contact.id);
  const settings = await loadInboxConsentSettings(tx, contact.inboxId);
  const ids = [...new Set(history.flatMap((row) => (row.recordedBy ? [row.recordedBy] : [])))];
  const names = ids.length
    ? new Map(
        (await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))).map(
          (user) => [user.id, user.name],
        ),
      )
    : new Map<string, string>();
  return {
    contactId: contact.id,
    consent: snapshotOf(history),
    history: history.map((row) => ({
      ...row,
      recordedByName: row.recordedBy ? (names.get(row.recordedBy) ?? null) : null,
    })),
    inboxKeywords: { extraOptOut: settings.extraOptOutKeywords, extraOptIn: settings.extraOptInKeywords },
  };
}

/** The contact's current consent and full ledger, for the contact panel. */
export async function listContactConsents({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ContactConsentsInput;
}): Promise<ContactConsents> {
  requirePermission(ctx.actor, "contacts.read");
  const data = contactConsentsInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    return describe(tx, await findVisibleContact(tx, ctx.actor, data.contactId));
  });
}

/**
 * An agent records an opt-in or opt-out the customer asked for, with its evidence; members of the
 * contact's inbox only. Audited; composers of the inbox hear of it at once.
 */
export async function recordContactConsent({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: RecordContactConsentInput;
}): Promise<ContactConsents> {
  requirePermission(ctx.actor, "consents.record");
  const data = recordContactConsentInput.parse(input);
  const { result, inboxId } = await inTransaction(ctx, async (tx) => {
    const contact = await findVisibleContact(tx, ctx.actor, data.contactId);
    const [event] = await appendConsentEvents(tx, [
      {
        contactId: contact.id,
        purpose: data.purpose,
        action: data.action,
        source: data.source,
        evidence: data.evidence,
        ...recorderOf(ctx.actor),
        occurredAt: ctx.now,
        createdAt: ctx.now,
      },
    ]);
    await recordAudit(tx, ctx, {
      action: "consent.recorded",
      targetType: "contact",
      targetId: contact.id,
      details: { eventId: event?.id, purpose: data.purpose, action: data.action, source: data.source },
    });
    return { result: await describe(tx, contact), inboxId: contact.inboxId };
  });
  announceConsentChanges([
    { contactId: result.contactId, inboxId, conversationId: null, consent: result.consent },
  ]);
  return result;
}
