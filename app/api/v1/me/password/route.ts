import { requestContext } from "@/lib/auth/actor";
import { sessionSetCookie } from "@/lib/auth/session-token";
import { changeOwnPassword } from "@/lib/domain/users";
import { readJson, route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Changes the password; every other session ends and this browser gets a fresh one. */
export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  const result = await changeOwnPassword({ ctx, input: unparsed(await readJson(request)) });
  const cookie = await sessionSetCookie({
    userId: result.userId,
    sessionVersion: result.sessionVersion,
    twoFactor: true,
  });
  return Response.json({ ok: true }, { headers: { "set-cookie": cookie } });
});
