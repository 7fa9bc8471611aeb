import { eraseContact } from "@/lib/domain/contacts";
import { requestContext } from "@/lib/auth/actor";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** Irreversibly erases the contact: `{ "confirmation": "ERASE", "reason" }`; 409 when already erased. */
export const POST = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  return Response.json(await eraseContact({ ctx, input: unparsed({ ...body, contactId: (await params).id }) }));
});
