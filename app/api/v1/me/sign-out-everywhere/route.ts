import { requestContext } from "@/lib/auth/actor";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { signOutEverywhere } from "@/lib/domain/users";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  await signOutEverywhere({ ctx });
  return Response.json({ ok: true }, { headers: { "set-cookie": clearSessionCookie() } });
});
