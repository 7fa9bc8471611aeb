import { slaReport } from "@/lib/domain/sla";
import { requestContext } from "@/lib/auth/actor";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Supervisors: `?from=&to=&inboxId=&timeZone=` — hit rate, breaches per day, first-response
 * median and 90th percentile, per agent and per inbox, over [from, to).
 */
export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await slaReport({ ctx, input: unparsed(searchParamsOf(request)) }));
});
