import type { Contact } from "@/lib/db/schema";
import { parseConsentCsv, type ConsentImportError } from "@/lib/policy/csv-consent-import";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { InvalidInputError } from "../errors";
import { upsertContact } from "../webhooks/ingest";
import { announceConsentChanges } from "./announce";
import { requireMemberInbox } from "./inbox-scope";
import { appendConsentEvents, loadConsentSnapshot, recorderOf } from "./ledger";
import { importConsentCsvInput, type ImportConsentCsvInput } from "./schemas";

export interface ConsentImportSummary {
  inboxId: string;
  /** Ledger events written (one per valid row). */
  recorded: number;
  /** Contacts the import created in the inbox. */
  contactsCreated: number;
  /** Rows refused, each error listed below (a row may have several). */
  rejectedRows: number;
  errors: ConsentImportError[];
  ignoredColumns: string[];
}

/**
 * Supervisors and admins import a consent list for one of their inboxes: every row is checked by
 * the CSV core; the valid ones are recorded in one transaction, the rest come back as a report.
 * A file with nothing valid (no header, no rows, all rows wrong) is refused and writes nothing.
 */
export async function importConsentCsv({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ImportConsentCsvInput;
}): Promise<ConsentImportSummary> {
  requirePermission(ctx.actor, "consents.import");
  const data = importConsentCsvInput.parse(input);
  const parsed = parseConsentCsv(data.csv, { now: ctx.now });
  const rejectedRows = new Set(parsed.errors.map((error) => error.row)).size;

  const outcome = await inTransaction(ctx, async (tx) => {
    await requireMemberInbox(tx, ctx.actor, data.inboxId);
    if (parsed.validRows.length === 0) {
      const first = parsed.errors[0]?.message ?? "The file has no rows to import.";
      throw new InvalidInputError(`Nothing was imported: ${first}`, { errors: parsed.errors });
    }
    const contactsByWaId = new Map<string, Contact>();
    let contactsCreated = 0;
    for (const row of parsed.validRows) {
      if (contactsByWaId.has(row.waId)) continue;
      const contact = await upsertContact(tx, data.inboxId, { waId: row.waId }, ctx.now);
      // ctx.now is this import's own instant: a contact created at it is one this import made.
      if (contact.createdAt.getTime() === ctx.now.getTime()) contactsCreated += 1;
      contactsByWaId.set(row.waId, contact);
    }
    const recorder = recorderOf(ctx.actor);
    const events = await appendConsentEvents(
      tx,
      parsed.validRows.map((row) => ({
        contactId: contactOf(contactsByWaId, row.waId).id,
        purpose: row.purpose,
        action: row.action,
        source: row.source,
        evidence: row.evidence,
        ...recorder,
        occurredAt: row.recordedAt,
        createdAt: ctx.now,
      })),
    );
    await recordAudit(tx, ctx, {
      action: "consent.imported",
      targetType: "inbox",
      targetId: data.inboxId,
      details: { recorded: events.length, contactsCreated, rejectedRows },
    });
    const changes = [];
    for (const contact of contactsByWaId.values()) {
      changes.push({
        contactId: contact.id,
        inboxId: data.inboxId,
        conversationId: null,
        consent: await loadConsentSnapshot(tx, contact.id),
      });
    }
    return { recorded: events.length, contactsCreated, changes };
  });
  announceConsentChanges(outcome.changes);
  return {
    inboxId: data.inboxId,
    recorded: outcome.recorded,
    contactsCreated: outcome.contactsCreated,
    rejectedRows,
    errors: parsed.errors,
    ignoredColumns: parsed.ignoredColumns,
  };
}

function contactOf(contacts: ReadonlyMap<string, Contact>, waId: string): Contact {
  const contact = contacts.get(waId);
  if (!contact) throw new Error(`no contact was resolved for wa_id ${waId}`);
  return contact;
}
