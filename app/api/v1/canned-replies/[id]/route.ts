import { deleteCannedReply, updateCannedReply } from "@/lib/domain/canned-replies";
import { requestContext } from "@/lib/http/context";
import { readJson, route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const PATCH = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJson(request);
  const changes = typeof body === "object" && body !== null ? body : {};
  const reply = await updateCannedReply({ ctx, input: unparsed({ ...changes, id: (await params).id }) });
  return Response.json(reply);
});

export const DELETE = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  await deleteCannedReply({ ctx, input: { id: (await params).id } });
  return new Response(null, { status: 204 });
});
