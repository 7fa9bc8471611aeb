import { assignConversation } from "@/lib/domain/conversations";
import { readJsonObject } from "@/lib/http/body";
import { requestContext } from "@/lib/auth/actor";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** Body: `{ "assigneeId": "<user id>" }`, or `null` to unassign. */
export const POST = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  const input = { ...body, conversationId: (await params).id };
  return Response.json(await assignConversation({ ctx, input: unparsed(input) }));
});
