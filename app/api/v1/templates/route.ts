import { createTemplate, listTemplates } from "@/lib/domain/templates";
import { readJsonObject } from "@/lib/http/body";
import { requestContext } from "@/lib/auth/actor";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** `?inboxId=&status=`: the WhatsApp templates of the actor's inboxes. */
export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json({ items: await listTemplates({ ctx, input: unparsed(searchParamsOf(request)) }) });
});

/** Admins: `{ inboxId, name, language, category, status?, body }`. */
export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  const template = await createTemplate({ ctx, input: unparsed(await readJsonObject(request)) });
  return Response.json(template, { status: 201 });
});
