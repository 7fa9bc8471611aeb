import { addNote } from "@/lib/domain/conversations";
import { readJsonObject } from "@/lib/http/body";
import { requestContext } from "@/lib/auth/actor";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** Body: `{ "body": "…" }`. A private note, never sent to the customer. */
export const POST = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  const note = await addNote({ ctx, input: unparsed({ ...body, conversationId: (await params).id }) });
  return Response.json(note, { status: 201 });
});
