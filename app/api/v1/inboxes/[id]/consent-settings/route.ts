import { getInboxConsentSettings, saveInboxConsentSettings } from "@/lib/domain/consents";
import { requestContext } from "@/lib/auth/actor";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** Admins: the inbox's own STOP/START keywords and confirmation texts (defaults filled in). */
export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  return Response.json(await getInboxConsentSettings({ ctx, input: unparsed({ inboxId: (await params).id }) }));
});

/**
 * Admins: `{ extraOptOutKeywords: string[], extraOptInKeywords: string[], optOutConfirmation,
 * optInConfirmation, sendConfirmations }`, replacing what was stored.
 */
export const PUT = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  const input = { ...body, inboxId: (await params).id };
  return Response.json(await saveInboxConsentSettings({ ctx, input: unparsed(input) }));
});
