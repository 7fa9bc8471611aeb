import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { totpCodeAt } from "@/lib/auth/totp";
import { sessionCookieName } from "@/lib/auth/cookies";
import { encodeSessionToken } from "@/lib/auth/session-token";
import type { Database } from "@/lib/db";
import type { UserRole } from "@/lib/db/schema";
import { createUser } from "@/lib/domain/users";

export const baseUrl = "http://localhost:3000";

let counter = 0;

export interface TestAccount {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  password: string;
  /** Base32; absent for a user who has not enrolled. */
  totpSecret?: string;
  recoveryCodes?: string[];
}

/** A user created through the real domain verb, enrolled in 2FA unless `twoFactor: false`. */
export async function createAccount(
  db: Database,
  {
    role = "agent",
    inboxIds = [],
    twoFactor = true,
    name,
  }: { role?: UserRole; inboxIds?: string[]; twoFactor?: boolean; name?: string } = {},
): Promise<TestAccount> {
  counter += 1;
  const email = `person-${counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const password = `correct horse battery ${counter} staple`;
  const created = await createUser({
    ctx: { db, actor: { kind: "system", reason: "test" }, now: new Date() },
    input: { email, name: name ?? `Person ${counter}`, role, inboxIds, password },
    withTwoFactor: twoFactor,
  });
  return {
    ...created.user,
    password,
    totpSecret: created.totpSecret,
    recoveryCodes: created.recoveryCodes,
  };
}

/** A valid session cookie for the user, minted with the real secret (as next-auth would issue it). */
export async function sessionCookie(
  user: { id: string },
  { sessionVersion = 1, twoFactor = true }: { sessionVersion?: number; twoFactor?: boolean } = {},
): Promise<string> {
  const token = await encodeSessionToken({ userId: user.id, sessionVersion, twoFactor });
  return `${sessionCookieName()}=${token}`;
}

function cookiesFrom(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0] ?? "");
}

export interface SignInOutcome {
  response: Response;
  /** The session cookie ("name=value") when sign-in succeeded. */
  cookie?: string;
}

/** Signs in through next-auth's real handlers: GET /api/auth/csrf, then POST the credentials callback. */
export async function signInThroughNextAuth(
  credentials: { email: string; password: string; code?: string },
  { ip }: { ip?: string } = {},
): Promise<SignInOutcome> {
  const csrfResponse = await authGet(new Request(`${baseUrl}/api/auth/csrf`));
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookies = cookiesFrom(csrfResponse);
  const response = await authPost(
    new Request(`${baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: csrfCookies.join("; "),
        ...(ip ? { "x-parley-client-ip": ip } : {}),
      },
      body: new URLSearchParams({ ...credentials, code: credentials.code ?? "", csrfToken, json: "true" }),
    }),
  );
  const cookie = cookiesFrom(response).find(
    (c) => c.startsWith(`${sessionCookieName()}=`) && !c.endsWith("="),
  );
  return { response, cookie };
}

/** The current TOTP code of an enrolled test account. */
export function currentCode(account: TestAccount, now = new Date()): string {
  if (!account.totpSecret) throw new Error("this account has no authenticator");
  return totpCodeAt(account.totpSecret, now);
}

/** A request to a route handler, authenticated by a session cookie or a bearer token. */
export function apiRequest(
  path: string,
  {
    method = "GET",
    cookie,
    bearer,
    body,
  }: { method?: string; cookie?: string; bearer?: string; body?: unknown } = {},
): Request {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Route context for dynamic segments, as Next.js passes it. */
export function params<T extends Record<string, string>>(value: T): { params: Promise<T> } {
  return { params: Promise.resolve(value) };
}
