import { requestContext } from "@/lib/auth/actor";
import { resetPassword } from "@/lib/domain/users";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A new random password for the user, in the answer once. */
export const POST = route(async (request, { params }: { params: Promise<{ userId: string }> }) => {
  const ctx = await requestContext(request);
  return Response.json(await resetPassword({ ctx, input: await params }), {
    headers: { "cache-control": "no-store" },
  });
});
