import { eq } from "drizzle-orm";
import { contacts, type Contact } from "@/lib/db/schema";
import { normalizePhoneE164 } from "@/lib/policy/phone";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError, InvalidInputError } from "../errors";
import { recordDataRequest } from "./data-requests";
import { correctContactInput, type CorrectContactInput } from "./schemas";
import { findVisibleContact } from "./scope";

/**
 * Corrects a contact's profile (name, phone) at the customer's request. The wa_id WhatsApp gave
 * stays: it is how messages reach them. Audited with the fields before and after.
 */
export async function correctContact({ ctx, input }: { ctx: Ctx; input: CorrectContactInput }): Promise<Contact> {
  requirePermission(ctx.actor, "contacts.update");
  const data = correctContactInput.parse(input);
  let phone: string | null | undefined = data.phone;
  if (typeof data.phone === "string") {
    if (data.phone === "") phone = null;
    else {
      const normalized = normalizePhoneE164(data.phone);
      if (!normalized.ok) throw new InvalidInputError(`phone ${normalized.message}.`);
      phone = normalized.e164;
    }
  }
  return inTransaction(ctx, async (tx) => {
    const contact = await findVisibleContact(tx, ctx.actor, data.contactId, { lock: true });
    if (contact.anonymizedAt) throw new ConflictError("This contact has been erased; there is nothing to correct.");
    const changes: Partial<Pick<Contact, "profileName" | "phone">> = {};
    if (data.profileName !== undefined && data.profileName !== contact.profileName)
      changes.profileName = data.profileName;
    if (phone !== undefined && phone !== contact.phone) changes.phone = phone;
    if (Object.keys(changes).length === 0) return contact;
    const [updated] = await tx
      .update(contacts)
      .set({ ...changes, updatedAt: ctx.now })
      .where(eq(contacts.id, contact.id))
      .returning();
    if (!updated) throw new Error("contact update returned no row");
    const fields = Object.keys(changes) as (keyof typeof changes)[];
    await recordAudit(tx, ctx, {
      action: "contact.corrected",
      targetType: "contact",
      targetId: contact.id,
      details: {
        fields,
        before: Object.fromEntries(fields.map((field) => [field, contact[field]])),
        after: Object.fromEntries(fields.map((field) => [field, updated[field]])),
      },
    });
    await recordDataRequest(tx, ctx, {
      contactId: contact.id,
      kind: "correction",
      reason: data.reason,
      details: { fields },
    });
    return updated;
  });
}
