import { requestContext } from "@/lib/auth/actor";
import { listAuditLog } from "@/lib/domain/audit-log";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** ?actorId&action&targetType&targetId&from&to&cursor&limit */
export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await listAuditLog({ ctx, input: unparsed(searchParamsOf(request)) }));
});
