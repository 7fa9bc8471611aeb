import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { GET as getEnrolment, POST as confirmEnrolment } from "@/app/api/v1/me/two-factor/enrolment/route";
import { POST as signOutEverywhere } from "@/app/api/v1/me/sign-out-everywhere/route";
import { totpCodeAt } from "@/lib/auth/totp";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { setupTestDatabase } from "../../support/db";
import { createInbox } from "../../support/factories";
import {
  apiRequest,
  createAccount,
  currentCode,
  sessionCookie,
  signInThroughNextAuth,
  type TestAccount,
} from "../../support/auth";

const database = setupTestDatabase();
let agent: TestAccount;
let inboxId: string;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  const inbox = await createInbox(db, { name: "Support" });
  inboxId = inbox.id;
  agent = await createAccount(db, { role: "agent", inboxIds: [inbox.id] });
});

afterAll(() => clearDatabaseHandle());

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; details?: unknown } }).error;
}

describe("signing in through next-auth's credentials flow", () => {
  it("issues an http-only, same-site session cookie that GET /api/v1/me accepts", async () => {
    const { response, cookie } = await signInThroughNextAuth({
      email: agent.email,
      password: agent.password,
      code: currentCode(agent),
    });
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toBeDefined();

    const me = await getMe(apiRequest("/api/v1/me", { cookie }), undefined);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      id: agent.id,
      name: agent.name,
      email: agent.email,
      role: "agent",
      inboxes: [{ id: inboxId, name: "Support" }],
    });
  });

  it("asks for the second factor after a right password, without a session", async () => {
    const { response, cookie } = await signInThroughNextAuth({
      email: agent.email,
      password: agent.password,
    });
    expect(response.status).toBe(401);
    expect(cookie).toBeUndefined();
    const error = await errorOf(response);
    expect(error.message).toMatch(/6-digit code/);
    expect(error.details).toEqual({ secondFactorRequired: true });
  });

  it("answers a wrong password and an unknown email with the same 401 message", async () => {
    const wrong = await signInThroughNextAuth({
      email: agent.email,
      password: "not the password at all",
      code: "123456",
    });
    const unknown = await signInThroughNextAuth({
      email: "nobody@example.test",
      password: "whatever it is here",
      code: "123456",
    });
    expect(wrong.response.status).toBe(401);
    expect(unknown.response.status).toBe(401);
    expect((await errorOf(wrong.response)).message).toBe((await errorOf(unknown.response)).message);
    expect(wrong.cookie).toBeUndefined();
  });

  it("refuses a sign-in without the CSRF token", async () => {
    const { POST } = await import("@/app/api/auth/[...nextauth]/route");
    const response = await POST(
      new Request("http://localhost:3000/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: agent.email, password: agent.password, json: "true" }),
      }),
    );
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toMatch(/form has expired/);
  });

  it("refuses a tampered or missing session cookie with 401", async () => {
    const cookie = await sessionCookie(agent);
    const tampered = `${cookie.slice(0, -4)}AAAA`;
    expect((await getMe(apiRequest("/api/v1/me", { cookie: tampered }), undefined)).status).toBe(401);
    expect((await getMe(apiRequest("/api/v1/me"), undefined)).status).toBe(401);
  });

  it("ends every session when the user signs out everywhere", async () => {
    const { db } = database().handle;
    const person = await createAccount(db);
    const first = await sessionCookie(person);
    const second = await sessionCookie(person);
    const out = await signOutEverywhere(
      apiRequest("/api/v1/me/sign-out-everywhere", { method: "POST", cookie: first }),
      undefined,
    );
    expect(out.status).toBe(200);
    const after = await getMe(apiRequest("/api/v1/me", { cookie: second }), undefined);
    expect(after.status).toBe(401);
    expect((await errorOf(after)).message).toBe("Your session has ended; sign in again.");
  });

  it("signs out a user whose session version was bumped, and a deactivated user", async () => {
    const { db } = database().handle;
    const person = await createAccount(db);
    const cookie = await sessionCookie(person);
    expect((await getMe(apiRequest("/api/v1/me", { cookie }), undefined)).status).toBe(200);
    await db.update(users).set({ sessionVersion: 2 }).where(eq(users.id, person.id));
    expect((await getMe(apiRequest("/api/v1/me", { cookie }), undefined)).status).toBe(401);

    const fresh = await sessionCookie(person, { sessionVersion: 2 });
    expect((await getMe(apiRequest("/api/v1/me", { cookie: fresh }), undefined)).status).toBe(200);
    await db.update(users).set({ status: "deactivated" }).where(eq(users.id, person.id));
    expect((await getMe(apiRequest("/api/v1/me", { cookie: fresh }), undefined)).status).toBe(401);
  });
});

describe("enrolment on first sign-in", () => {
  it("lets a user without 2FA reach only enrolment, then gives a full session and ten recovery codes", async () => {
    const { db } = database().handle;
    const newcomer = await createAccount(db, { twoFactor: false });
    const { response, cookie } = await signInThroughNextAuth({
      email: newcomer.email,
      password: newcomer.password,
    });
    expect(response.status).toBe(200);
    expect(cookie).toBeDefined();

    const blocked = await getMe(apiRequest("/api/v1/me", { cookie }), undefined);
    expect(blocked.status).toBe(403);
    expect((await errorOf(blocked)).message).toMatch(/two-factor authentication/);

    const start = await getEnrolment(apiRequest("/api/v1/me/two-factor/enrolment", { cookie }), undefined);
    expect(start.status).toBe(200);
    const { secret, otpauthUri, qrCodeDataUrl } = (await start.json()) as {
      secret: string;
      otpauthUri: string;
      qrCodeDataUrl: string;
    };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(otpauthUri).toMatch(/algorithm=SHA1&digits=6&period=30/);
    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

    const wrong = await confirmEnrolment(
      apiRequest("/api/v1/me/two-factor/enrolment", { method: "POST", cookie, body: { code: "000000" } }),
      undefined,
    );
    expect(wrong.status).toBe(400);

    const confirmed = await confirmEnrolment(
      apiRequest("/api/v1/me/two-factor/enrolment", {
        method: "POST",
        cookie,
        body: { code: totpCodeAt(secret, new Date()) },
      }),
      undefined,
    );
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const fullCookie = confirmed.headers.getSetCookie()[0]?.split(";")[0];

    // The enrolment session itself has ended; the new one reaches the app.
    expect((await getMe(apiRequest("/api/v1/me", { cookie }), undefined)).status).toBe(401);
    expect((await getMe(apiRequest("/api/v1/me", { cookie: fullCookie }), undefined)).status).toBe(200);

    // A recovery code now signs in, once.
    const withRecovery = await signInThroughNextAuth({
      email: newcomer.email,
      password: newcomer.password,
      code: recoveryCodes[0],
    });
    expect(withRecovery.cookie).toBeDefined();
  });
});
