import { reviewBreach } from "@/lib/domain/sla";
import { requestContext } from "@/lib/auth/actor";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/**
 * Supervisors: `{ reason: staffing|complex_case|customer_delay|tool_problem|other, note,
 * assigneeId? }` acknowledges the breach once (409 after); `assigneeId` (or null) reassigns too.
 */
export const POST = route<Params>(async (request, { params }) => {
  const ctx = await requestContext(request);
  const body = await readJsonObject(request);
  return Response.json(
    await reviewBreach({ ctx, input: unparsed({ ...body, slaEventId: (await params).id }) }),
  );
});
