import { markConversationRead } from "@/lib/domain/messages";
import { requestContext } from "@/lib/auth/actor";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** The agent opened the conversation: its unread customer messages are marked read, on WhatsApp too. */
export const POST = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  return Response.json(
    await markConversationRead({ ctx, input: unparsed({ conversationId: (await params).id }) }),
  );
});
