import { listMessages } from "@/lib/domain/conversations";
import { requestContext } from "@/lib/auth/actor";
import { sendMessage } from "@/lib/domain/messages";
import { readJsonObject } from "@/lib/http/body";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const input = { ...searchParamsOf(request), conversationId: (await params).id };
  return Response.json(await listMessages({ ctx, input: unparsed(input) }));
});

/**
 * Replies on WhatsApp. Body: `{ "type": "text", "body", "replyToMessageId"? }`,
 * `{ "type": "template", "templateId", "parameters": { name: value } }` or
 * `{ "type": "image" | "video" | "audio" | "document", "link", "caption"?, "filename"? }`.
 * 201 with the queued message; 422 when the 24-hour window has closed for anything but a template.
 */
export const POST = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  const message = await sendMessage({ ctx, input: unparsed({ ...body, conversationId: (await params).id }) });
  return Response.json(message, { status: 201 });
});
