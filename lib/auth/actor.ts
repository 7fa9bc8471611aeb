import { getDb } from "@/lib/db";
import { authenticateApiToken } from "@/lib/domain/api-tokens";
import { resolveSessionUser, type SessionUser } from "@/lib/domain/auth";
import type { Actor, Ctx } from "@/lib/domain/context";
import { ForbiddenError, UnauthenticatedError } from "@/lib/domain/errors";
import { getEnv } from "@/lib/env";
import { clientIpOf } from "@/lib/http/client-ip";
import { parseCookieHeader, sessionCookieName } from "./cookies";
import { decodeSessionToken, type SessionClaims } from "./session-token";

const signInRequired = () => new UnauthenticatedError("Sign-in is required.");

function bearerTokenOf(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) throw new UnauthenticatedError('Send the token as "Authorization: Bearer <token>".');
  return match[1];
}

/**
 * Cookie sessions are SameSite=Lax; on top of that a state-changing request from a browser must
 * come from our own origin.
 */
function assertSameOrigin(request: Request) {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return;
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(getEnv().appUrl).origin && origin !== new URL(request.url).origin) {
    throw new ForbiddenError("Cross-site requests are not accepted.");
  }
}

/** The session behind the request's cookie, re-checked against the user row. */
export async function sessionOfRequest(
  request: Request,
  options: { allowEnrolment?: boolean } = {},
): Promise<{ claims: SessionClaims; user: SessionUser }> {
  const token = parseCookieHeader(request.headers.get("cookie"))[sessionCookieName()];
  const claims = await decodeSessionToken(token);
  if (!claims) throw signInRequired();
  assertSameOrigin(request);
  const user = await resolveSessionUser(await getDb(), claims, options);
  return { claims, user };
}

function sessionActor(user: SessionUser): Actor {
  return { kind: "user", userId: user.id, role: user.role, name: user.name, via: "session" };
}

/**
 * The actor behind an HTTP request: a personal API token (`Authorization: Bearer prl_…`) or the
 * session cookie. Every call re-reads the user: deactivated users and ended sessions get 401,
 * a session still waiting for 2FA enrolment gets 403.
 */
export async function getRequestActor(request: Request): Promise<Actor> {
  const bearer = bearerTokenOf(request);
  if (bearer) {
    return authenticateApiToken(await getDb(), bearer, { now: new Date(), ip: clientIpOf(request) });
  }
  return sessionActor((await sessionOfRequest(request)).user);
}

/** Everything a domain verb needs for this request. */
export async function requestContext(request: Request): Promise<Ctx> {
  const actor = await getRequestActor(request);
  return { actor, db: await getDb(), now: new Date(), ip: clientIpOf(request) };
}

/** For the enrolment endpoints only: a session that may still be waiting for 2FA set-up. */
export async function enrolmentContext(request: Request): Promise<Ctx & { user: SessionUser }> {
  const { user } = await sessionOfRequest(request, { allowEnrolment: true });
  return { actor: sessionActor(user), user, db: await getDb(), now: new Date(), ip: clientIpOf(request) };
}
