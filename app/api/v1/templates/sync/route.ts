import { syncTemplates } from "@/lib/domain/templates";
import { readJsonObject } from "@/lib/http/body";
import { requestContext } from "@/lib/auth/actor";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Admins: `{ inboxId }` — reads the inbox's templates from its WhatsApp Business Account. */
export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await syncTemplates({ ctx, input: unparsed(await readJsonObject(request)) }));
});
