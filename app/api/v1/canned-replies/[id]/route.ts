import { deleteCannedReply, updateCannedReply } from "@/lib/domain/canned-replies";
import { requestContext } from "@/lib/auth/actor";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const PATCH = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const changes = await readJsonObject(request);
  const reply = await updateCannedReply({ ctx, input: unparsed({ ...changes, id: (await params).id }) });
  return Response.json(reply);
});

export const DELETE = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  await deleteCannedReply({ ctx, input: { id: (await params).id } });
  return new Response(null, { status: 204 });
});
