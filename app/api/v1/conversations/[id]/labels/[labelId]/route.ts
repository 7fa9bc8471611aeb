import { addConversationLabel, removeConversationLabel } from "@/lib/domain/conversations";
import { requestContext } from "@/lib/auth/actor";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string; labelId: string }> };

export const PUT = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const { id, labelId } = await params;
  return Response.json(await addConversationLabel({ ctx, input: { conversationId: id, labelId } }));
});

export const DELETE = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const { id, labelId } = await params;
  return Response.json(await removeConversationLabel({ ctx, input: { conversationId: id, labelId } }));
});
