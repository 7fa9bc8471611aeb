import { exportSlaReport } from "@/lib/domain/sla";
import { requestContext } from "@/lib/auth/actor";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Supervisors: `?from=&to=&inboxId=` — the clocks behind the report as CSV (audited). */
export const GET = route(async (request) => {
  const ctx = await requestContext(request);
  const { filename, csv } = await exportSlaReport({ ctx, input: unparsed(searchParamsOf(request)) });
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
