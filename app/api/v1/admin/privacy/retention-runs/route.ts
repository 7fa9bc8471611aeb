import { runRetentionNow } from "@/lib/domain/privacy";
import { requestContext } from "@/lib/auth/actor";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Runs the retention sweeper now; 201 with the recorded run. */
export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  return Response.json(await runRetentionNow({ ctx }), { status: 201 });
});
