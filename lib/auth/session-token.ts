import { decode, encode } from "next-auth/jwt";
import { z } from "zod";
import { serializeCookie, sessionCookieName } from "./cookies";
import { authSecret } from "./keys";

/** A working day plus margin; every request re-checks the user row anyway. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** What the session cookie carries. `twoFactor` false means it may only reach enrolment. */
export interface SessionClaims {
  userId: string;
  sessionVersion: number;
  twoFactor: boolean;
}

const claimsSchema = z.object({
  sub: z.uuid(),
  sv: z.number().int(),
  mfa: z.boolean(),
});

/** The JWT payload next-auth stores for our claims (see auth.ts callbacks). */
export function tokenPayload(claims: SessionClaims) {
  return { sub: claims.userId, sv: claims.sessionVersion, mfa: claims.twoFactor };
}

/** Reads a session cookie value; null when it is missing, expired, tampered with or not ours. */
export async function decodeSessionToken(token: string | undefined): Promise<SessionClaims | null> {
  if (!token) return null;
  try {
    const payload = await decode({ token, secret: authSecret() });
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) return null;
    return { userId: parsed.data.sub, sessionVersion: parsed.data.sv, twoFactor: parsed.data.mfa };
  } catch {
    return null;
  }
}

/** A session cookie value, exactly as next-auth would issue it for these claims. */
export function encodeSessionToken(claims: SessionClaims): Promise<string> {
  return encode({ token: tokenPayload(claims), secret: authSecret(), maxAge: SESSION_MAX_AGE_SECONDS });
}

/** Set-Cookie header value for a fresh session (after enrolment, or a password change). */
export async function sessionSetCookie(claims: SessionClaims): Promise<string> {
  return serializeCookie({
    name: sessionCookieName(),
    value: await encodeSessionToken(claims),
    maxAgeSeconds: SESSION_MAX_AGE_SECONDS,
  });
}
