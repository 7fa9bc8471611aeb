import { requestContext } from "@/lib/auth/actor";
import { retryMessage } from "@/lib/domain/messages";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string; messageId: string }> };

/**
 * Sends a failed message again as a new message: 201 with it; 409 when already retried or not failed.
 * An optional body `{ "confirmSensitive": true }` confirms a retry the sensitive-data guard refused.
 */
export const POST = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const { id, messageId } = await params;
  // The body is optional: the inbox's Retry button posts none.
  const isEmpty = (await request.clone().text()).trim() === "";
  const body = isEmpty ? {} : await readJsonObject(request);
  const message = await retryMessage({
    ctx,
    input: unparsed({ ...body, conversationId: id, messageId }),
  });
  return Response.json(message, { status: 201 });
});
