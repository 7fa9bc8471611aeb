import { requestContext } from "@/lib/auth/actor";
import { listAccessReview, reviewAccess } from "@/lib/domain/access-reviews";
import { readJson, route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json({ users: await listAccessReview({ ctx }) });
});

/** `{ userId, decision: "confirm" | "revoke" }` */
export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await reviewAccess({ ctx, input: unparsed(await readJson(request)) }));
});
