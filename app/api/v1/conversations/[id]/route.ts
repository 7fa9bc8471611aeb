import { getConversation } from "@/lib/domain/conversations";
import { requestContext } from "@/lib/auth/actor";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  return Response.json(await getConversation({ ctx, input: { conversationId: (await params).id } }));
});
