import { listSlaBoard } from "@/lib/domain/sla";
import { requestContext } from "@/lib/auth/actor";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Supervisors: `?inboxId=` — running clocks at risk and breached in their inboxes, most urgent first. */
export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await listSlaBoard({ ctx, input: unparsed(searchParamsOf(request)) }));
});
