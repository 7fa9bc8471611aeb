import type { Contact } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError } from "../errors";
import { recordDataRequest } from "./data-requests";
import { anonymizeContactRow, personalDataSections } from "./personal-data";
import { eraseContactInput, type EraseContactInput } from "./schemas";
import { findVisibleContact } from "./scope";

export interface ErasureOutcome {
  contact: Contact;
  /** Rows changed per section. */
  erased: Record<string, number>;
}

/**
 * Erases a contact at their request: the contact is anonymized, every message's contents, media,
 * notes and kept originals are removed, and raw traces are scrubbed; rows, counts and timestamps
 * stay for reports. Irreversible; needs the typed confirmation and a reason; 409 when done already.
 */
export async function eraseContact({ ctx, input }: { ctx: Ctx; input: EraseContactInput }): Promise<ErasureOutcome> {
  requirePermission(ctx.actor, "contacts.erase");
  const data = eraseContactInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    // The lock makes two simultaneous erasures queue; the second then sees anonymized_at and stops.
    const contact = await findVisibleContact(tx, ctx.actor, data.contactId, { lock: true });
    if (contact.anonymizedAt) {
      throw new ConflictError(`This contact was already erased on ${contact.anonymizedAt.toISOString()}.`);
    }
    const erased: Record<string, number> = {};
    for (const section of personalDataSections) erased[section.name] = await section.erase(tx, contact, ctx.now);
    const anonymized = await anonymizeContactRow(tx, contact, ctx.now);
    if (!anonymized) throw new Error("contact anonymization returned no row");
    await recordDataRequest(tx, ctx, {
      contactId: contact.id,
      kind: "erasure",
      reason: data.reason,
      details: { erased },
    });
    await recordAudit(tx, ctx, {
      action: "contact.erased",
      targetType: "contact",
      targetId: contact.id,
      // Counts only: the audit row outlives the person's data.
      details: { erased, reason: data.reason },
    });
    return { contact: anonymized, erased };
  });
}
