import { recordExternalConsent } from "@/lib/domain/consents";
import { requestContext } from "@/lib/auth/actor";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * For the business's own website forms, with `Authorization: Bearer <API token>` (or a session):
 * `{ inboxId, phone, purpose, action, source, evidence, occurredAt? }`. The contact is found or
 * created by its number; 201 with the event and the contact's consent.
 */
export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  return Response.json(await recordExternalConsent({ ctx, input: unparsed(body) }), { status: 201 });
});
