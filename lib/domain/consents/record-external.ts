import type { ConsentEventRow } from "@/lib/db/schema";
import type { ConsentSnapshot } from "@/lib/policy/consent";
import { normalizePhoneE164 } from "@/lib/policy/phone";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { InvalidInputError } from "../errors";
import { upsertContact } from "../webhooks/ingest";
import { announceConsentChanges } from "./announce";
import { requireMemberInbox } from "./inbox-scope";
import { appendConsentEvents, loadConsentSnapshot, recorderOf } from "./ledger";
import { recordExternalConsentInput, type RecordExternalConsentInput } from "./schemas";

export interface ExternalConsentResult {
  contactId: string;
  /** Whether the contact was new to the inbox. */
  contactCreated: boolean;
  event: ConsentEventRow;
  consent: ConsentSnapshot;
}

/**
 * A consent the business's own website form or event sign-up collected, sent with an API token
 * (or a session). The contact is found or created by its number, as the webhook ingest would.
 */
export async function recordExternalConsent({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: RecordExternalConsentInput;
}): Promise<ExternalConsentResult> {
  requirePermission(ctx.actor, "consents.record");
  const data = recordExternalConsentInput.parse(input);
  const phone = normalizePhoneE164(data.phone);
  if (!phone.ok) throw new InvalidInputError(`phone "${data.phone}" ${phone.message}.`);
  const occurredAt = data.occurredAt ? new Date(data.occurredAt) : ctx.now;
  if (occurredAt.getTime() > ctx.now.getTime()) throw new InvalidInputError("occurredAt is in the future.");

  const result = await inTransaction(ctx, async (tx) => {
    await requireMemberInbox(tx, ctx.actor, data.inboxId);
    const contact = await upsertContact(tx, data.inboxId, { waId: phone.waId }, ctx.now);
    const contactCreated = contact.createdAt.getTime() === ctx.now.getTime(); // ctx.now is this request's
    const [event] = await appendConsentEvents(tx, [
      {
        contactId: contact.id,
        purpose: data.purpose,
        action: data.action,
        source: data.source,
        evidence: data.evidence,
        ...recorderOf(ctx.actor),
        occurredAt,
        createdAt: ctx.now,
      },
    ]);
    if (!event) throw new Error("consent insert returned nothing");
    await recordAudit(tx, ctx, {
      action: "consent.recorded",
      targetType: "contact",
      targetId: contact.id,
      details: {
        eventId: event.id,
        purpose: data.purpose,
        action: data.action,
        source: data.source,
        contactCreated,
      },
    });
    return {
      contactId: contact.id,
      contactCreated,
      event,
      consent: await loadConsentSnapshot(tx, contact.id),
    };
  });
  announceConsentChanges([
    { contactId: result.contactId, inboxId: data.inboxId, conversationId: null, consent: result.consent },
  ]);
  return result;
}
