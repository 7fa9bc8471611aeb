import { deleteTemplate, updateTemplate } from "@/lib/domain/templates";
import { readJsonObject } from "@/lib/http/body";
import { requestContext } from "@/lib/auth/actor";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** Admins: `{ status?, category?, body? }`. */
export const PATCH = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  return Response.json(
    await updateTemplate({ ctx, input: unparsed({ ...body, templateId: (await params).id }) }),
  );
});

export const DELETE = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  await deleteTemplate({ ctx, input: unparsed({ templateId: (await params).id }) });
  return new Response(null, { status: 204 });
});
