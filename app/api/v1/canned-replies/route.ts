import { createCannedReply, listCannedReplies } from "@/lib/domain/canned-replies";
import { requestContext } from "@/lib/auth/actor";
import { readJson, route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  const items = await listCannedReplies({ ctx, input: unparsed(searchParamsOf(request)) });
  return Response.json({ items });
});

export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  const reply = await createCannedReply({ ctx, input: unparsed(await readJson(request)) });
  return Response.json(reply, { status: 201 });
});
