import { requestContext } from "@/lib/auth/actor";
import { createApiToken, listApiTokens } from "@/lib/domain/api-tokens";
import { readJson, route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json({ tokens: await listApiTokens({ ctx }) });
});

export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  const input = await readJson(request);
  return Response.json(await createApiToken({ ctx, input: unparsed(input) }), { status: 201 });
});
