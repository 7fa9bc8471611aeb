import { requestContext } from "@/lib/auth/actor";
import { retryMessage } from "@/lib/domain/messages";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string; messageId: string }> };

/** Sends a failed message again as a new message: 201 with it; 409 when already retried or not failed. */
export const POST = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const { id, messageId } = await params;
  const message = await retryMessage({ ctx, input: unparsed({ conversationId: id, messageId }) });
  return Response.json(message, { status: 201 });
});
