import { listMessages } from "@/lib/domain/conversations";
import { requestContext } from "@/lib/auth/actor";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const input = { ...searchParamsOf(request), conversationId: (await params).id };
  return Response.json(await listMessages({ ctx, input: unparsed(input) }));
});
