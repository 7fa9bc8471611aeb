import { requestContext } from "@/lib/auth/actor";
import { resetTwoFactor } from "@/lib/domain/users";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = route(async (request, { params }: { params: Promise<{ userId: string }> }) => {
  const ctx = await requestContext(request);
  return Response.json(await resetTwoFactor({ ctx, input: await params }));
});
