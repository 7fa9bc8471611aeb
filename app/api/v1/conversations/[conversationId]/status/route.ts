import { requestContext } from "@/lib/auth/actor";
import { setConversationStatus } from "@/lib/domain/conversations";
import { InvalidInputError } from "@/lib/domain/errors";
import { readJson, route, unchecked } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** `{ status: "open" | "pending" | "resolved" }`; another inbox's conversation is 404. */
export const PUT = route(async (request, { params }: { params: Promise<{ conversationId: string }> }) => {
  const ctx = await requestContext(request);
  const body = await readJson(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new InvalidInputError('Send a JSON object like {"status":"resolved"}.');
  }
  const { conversationId } = await params;
  const updated = await setConversationStatus({ ctx, input: unchecked({ ...body, conversationId }) });
  return Response.json({ id: updated.id, status: updated.status, updatedAt: updated.updatedAt });
});
