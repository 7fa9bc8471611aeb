import { listBreachesForReview } from "@/lib/domain/sla";
import { requestContext } from "@/lib/auth/actor";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Supervisors: `?inboxId=&from=&to=&cursor=&limit=` — breaches waiting for review, newest first. */
export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await listBreachesForReview({ ctx, input: unparsed(searchParamsOf(request)) }));
});
