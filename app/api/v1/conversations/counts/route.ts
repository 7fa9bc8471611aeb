import { countConversations } from "@/lib/domain/conversations";
import { requestContext } from "@/lib/auth/actor";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await countConversations({ ctx, input: unparsed(searchParamsOf(request)) }));
});
