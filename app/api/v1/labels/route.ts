import { createLabel, listLabels } from "@/lib/domain/labels";
import { requestContext } from "@/lib/auth/actor";
import { readJson, route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json({ items: await listLabels({ ctx }) });
});

export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await createLabel({ ctx, input: unparsed(await readJson(request)) }), { status: 201 });
});
