import { correctContact, getContact } from "@/lib/domain/contacts";
import { requestContext } from "@/lib/auth/actor";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** A contact's details for the contact panel (audited). */
export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  return Response.json(await getContact({ ctx, input: unparsed({ contactId: (await params).id }) }));
});

/** Corrects the profile: `{ profileName?, phone?, reason? }` (audited with before/after). */
export const PATCH = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  return Response.json(await correctContact({ ctx, input: unparsed({ ...body, contactId: (await params).id }) }));
});
