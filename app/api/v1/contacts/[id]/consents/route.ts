import { listContactConsents, recordContactConsent } from "@/lib/domain/consents";
import { readJsonObject } from "@/lib/http/body";
import { requestContext } from "@/lib/auth/actor";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  return Response.json(await listContactConsents({ ctx, input: unparsed({ contactId: (await params).id }) }));
});

/**
 * Body: `{ "purpose": "service"|"marketing", "action": "opt_in"|"opt_out", "evidence": "…",
 * "source"?: "agent"|"web_form"|"event_registration" }` (source defaults to agent).
 */
export const POST = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  const input = { ...body, contactId: (await params).id };
  return Response.json(await recordContactConsent({ ctx, input: unparsed(input) }), { status: 201 });
});
