import { requestContext } from "@/lib/auth/actor";
import { revokeApiToken } from "@/lib/domain/api-tokens";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const DELETE = route(async (request, { params }: { params: Promise<{ tokenId: string }> }) => {
  const ctx = await requestContext(request);
  const { tokenId } = await params;
  return Response.json(await revokeApiToken({ ctx, input: { tokenId } }));
});
