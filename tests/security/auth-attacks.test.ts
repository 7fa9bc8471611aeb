/**
 * Second-factor reuse and brute force, sessions surviving deactivation / role change / sign-out,
 * mass assignment and open redirects, through next-auth's real handlers and the JSON API.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { PATCH as patchUser } from "@/app/api/v1/admin/users/[userId]/route";
import { POST as createUserRoute } from "@/app/api/v1/admin/users/route";
import { PATCH as patchCannedReply } from "@/app/api/v1/canned-replies/[id]/route";
import { POST as createCannedReply } from "@/app/api/v1/canned-replies/route";
import { POST as signOutEverywhere } from "@/app/api/v1/me/sign-out-everywhere/route";
import { GET as getMe } from "@/app/api/v1/me/route";
import { POST as setStatus } from "@/app/api/v1/conversations/[id]/status/route";
import { POST as addNote } from "@/app/api/v1/conversations/[id]/notes/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { cannedReplies, conversations, inboxMembers, users } from "@/lib/db/schema";
import { signInLimits } from "@/lib/domain/auth";
import { updateUser } from "@/lib/domain/users";
import { setupTestDatabase } from "../support/db";
import { actorFor, createConversation, createInbox, ctxFor } from "../support/factories";
import {
  apiRequest,
  baseUrl,
  createAccount,
  currentCode,
  params,
  sessionCookie,
  signInThroughNextAuth,
  type TestAccount,
} from "../support/auth";

const database = setupTestDatabase();
let home: { id: string };
let foreign: { id: string };
let admin: TestAccount;

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  const { db } = database().handle;
  home = await createInbox(db, { name: "Home" });
  foreign = await createInbox(db, { name: "Foreign" });
  admin = await createAccount(db, { role: "admin", inboxIds: [home.id] });
});
afterAll(() => clearDatabaseHandle());

let ipCounter = 0;
/** Each attack from its own address, so the per-address limit of one test never blocks another. */
const nextIp = () => `198.51.100.${(ipCounter += 1)}`;

const adminCtx = () => ctxFor(database().handle.db, actorFor(admin));

describe("TOTP and recovery codes", () => {
  it("refuses a TOTP code used a second time within its window", async () => {
    const account = await createAccount(database().handle.db, { inboxIds: [home.id] });
    const code = currentCode(account);
    const first = await signInThroughNextAuth(
      { email: account.email, password: account.password, code },
      { ip: nextIp() },
    );
    expect(first.cookie).toBeDefined();
    const again = await signInThroughNextAuth(
      { email: account.email, password: account.password, code },
      { ip: nextIp() },
    );
    expect(again.cookie).toBeUndefined();
    expect(again.response.status).toBe(401);
  });

  it("accepts one code only once when it is sent ten times at the same moment", async () => {
    const account = await createAccount(database().handle.db, { inboxIds: [home.id] });
    const code = currentCode(account);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        signInThroughNextAuth({ email: account.email, password: account.password, code }, { ip: nextIp() }),
      ),
    );
    expect(results.filter((r) => r.cookie !== undefined)).toHaveLength(1);
  });

  it("refuses a recovery code used a second time, also concurrently", async () => {
    const account = await createAccount(database().handle.db, { inboxIds: [home.id] });
    const recovery = account.recoveryCodes?.[0];
    if (!recovery) throw new Error("no recovery codes");
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        signInThroughNextAuth(
          { email: account.email, password: account.password, code: recovery },
          { ip: nextIp() },
        ),
      ),
    );
    expect(results.filter((r) => r.cookie !== undefined)).toHaveLength(1);
    const later = await signInThroughNextAuth(
      { email: account.email, password: account.password, code: recovery },
      { ip: nextIp() },
    );
    expect(later.cookie).toBeUndefined();
  });

  it("holds the per-account limit under parallel bursts of guesses, then refuses even the right code", async () => {
    const account = await createAccount(database().handle.db, { inboxIds: [home.id] });
    const right = currentCode(account);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    const statuses: number[] = [];
    // Bursts of 30 parallel guesses from many addresses, past the account's limit.
    for (let burst = 0; burst < Math.ceil((signInLimits.account + 20) / 30); burst++) {
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          signInThroughNextAuth(
            { email: account.email, password: account.password, code: wrong },
            { ip: nextIp() },
          ),
        ),
      );
      statuses.push(...results.map((r) => r.response.status));
      expect(results.every((r) => r.cookie === undefined)).toBe(true);
    }
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(signInLimits.account);
    expect(statuses).toContain(429);
    const withRight = await signInThroughNextAuth(
      { email: account.email, password: account.password, code: currentCode(account) },
      { ip: nextIp() },
    );
    expect(withRight.cookie).toBeUndefined();
    expect(withRight.response.status).toBe(429);
  });
});

describe("sessions after deactivation, role change and sign-out", () => {
  async function signedIn() {
    const account = await createAccount(database().handle.db, { inboxIds: [home.id] });
    const outcome = await signInThroughNextAuth(
      { email: account.email, password: account.password, code: currentCode(account) },
      { ip: nextIp() },
    );
    if (!outcome.cookie) throw new Error("sign-in failed");
    expect((await getMe(apiRequest("/api/v1/me", { cookie: outcome.cookie }), undefined)).status).toBe(200);
    return { account, cookie: outcome.cookie };
  }

  it("ends the session of a deactivated user", async () => {
    const { account, cookie } = await signedIn();
    await updateUser({ ctx: adminCtx(), input: { userId: account.id, status: "deactivated" } });
    expect((await getMe(apiRequest("/api/v1/me", { cookie }), undefined)).status).toBe(401);
  });

  it("ends the session of a user whose role changed", async () => {
    const { account, cookie } = await signedIn();
    await updateUser({ ctx: adminCtx(), input: { userId: account.id, role: "supervisor" } });
    expect((await getMe(apiRequest("/api/v1/me", { cookie }), undefined)).status).toBe(401);
  });

  it("ends every session after sign-out everywhere, including the one that asked", async () => {
    const { cookie } = await signedIn();
    const response = await signOutEverywhere(
      apiRequest("/api/v1/me/sign-out-everywhere", { method: "POST", cookie, body: {} }),
      undefined,
    );
    expect(response.status).toBeLessThan(300);
    expect((await getMe(apiRequest("/api/v1/me", { cookie }), undefined)).status).toBe(401);
  });

  it("refuses a deactivated user's sign-in with the right password and code", async () => {
    const account = await createAccount(database().handle.db, { inboxIds: [home.id] });
    await updateUser({ ctx: adminCtx(), input: { userId: account.id, status: "deactivated" } });
    const outcome = await signInThroughNextAuth(
      { email: account.email, password: account.password, code: currentCode(account) },
      { ip: nextIp() },
    );
    expect(outcome.cookie).toBeUndefined();
  });

  it("refuses a cross-site state change carrying a valid session cookie", async () => {
    const account = await createAccount(database().handle.db, { inboxIds: [home.id] });
    const own = await createConversation(database().handle.db, home.id);
    const request = new Request(`${baseUrl}/api/v1/conversations/${own.id}/status`, {
      method: "POST",
      headers: {
        cookie: await sessionCookie(account),
        origin: "https://evil.example",
        "content-type": "application/json",
      },
      body: JSON.stringify({ status: "resolved" }),
    });
    expect((await setStatus(request, params({ id: own.id }))).status).toBe(403);
    const [row] = await database().handle.db.select().from(conversations).where(eq(conversations.id, own.id));
    expect(row?.status).toBe("open");
  });
});

describe("mass assignment", () => {
  const extras = (account: TestAccount) => ({
    role: "admin",
    status: "active",
    inboxIds: [foreign.id],
    userId: account.id,
    id: account.id,
    sessionVersion: 1,
    twoFactorEnabled: false,
  });

  it("does not let an agent promote themselves or join an inbox through the admin route", async () => {
    const { db } = database().handle;
    const agent = await createAccount(db, { inboxIds: [home.id] });
    const response = await patchUser(
      apiRequest(`/api/v1/admin/users/${agent.id}`, {
        method: "PATCH",
        cookie: await sessionCookie(agent),
        body: extras(agent),
      }),
      params({ userId: agent.id }),
    );
    expect(response.status).toBe(403);
    const [row] = await db.select().from(users).where(eq(users.id, agent.id));
    expect(row?.role).toBe("agent");
    expect(await db.select().from(inboxMembers).where(eq(inboxMembers.userId, agent.id))).toHaveLength(1);
  });

  it.each([
    [
      "a note",
      (id: string, cookie: string) =>
        addNote(
          apiRequest(`/api/v1/conversations/${id}/notes`, {
            method: "POST",
            cookie,
            body: { body: "n", conversationId: "x", inboxId: "x", authorId: "x", role: "admin" },
          }),
          params({ id }),
        ),
    ],
    [
      "a status change",
      (id: string, cookie: string) =>
        setStatus(
          apiRequest(`/api/v1/conversations/${id}/status`, {
            method: "POST",
            cookie,
            body: { status: "pending", inboxId: "x", role: "admin", userId: "x" },
          }),
          params({ id }),
        ),
    ],
  ])("ignores or refuses extra fields on %s and changes no role or membership", async (_name, call) => {
    const { db } = database().handle;
    const agent = await createAccount(db, { inboxIds: [home.id] });
    const own = await createConversation(db, home.id);
    const response = await call(own.id, await sessionCookie(agent));
    expect(response.status).toBeLessThan(500);
    const [row] = await db.select().from(users).where(eq(users.id, agent.id));
    expect(row?.role).toBe("agent");
    const [conversation] = await db.select().from(conversations).where(eq(conversations.id, own.id));
    expect(conversation?.inboxId).toBe(home.id);
  });

  it("does not let an admin create a user with a chosen id, session version or 2FA switched off", async () => {
    const { db } = database().handle;
    const email = `mass-${Date.now()}@example.test`;
    const response = await createUserRoute(
      apiRequest("/api/v1/admin/users", {
        method: "POST",
        cookie: await sessionCookie(admin),
        body: {
          email,
          name: "Mass",
          role: "agent",
          id: admin.id,
          twoFactorEnabled: true,
          totpSecret: "AAAA",
          status: "active",
        },
      }),
      undefined,
    );
    expect(response.status).toBe(400);
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });

  it("does not move a canned reply into another inbox through PATCH", async () => {
    const { db } = database().handle;
    const cookie = await sessionCookie(admin);
    const created = await createCannedReply(
      apiRequest("/api/v1/canned-replies", {
        method: "POST",
        cookie,
        body: { inboxId: home.id, shortcut: `m${Date.now()}`, title: "t", body: "b" },
      }),
      undefined,
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const response = await patchCannedReply(
      apiRequest(`/api/v1/canned-replies/${id}`, {
        method: "PATCH",
        cookie,
        body: { inboxId: foreign.id, createdBy: admin.id },
      }),
      params({ id }),
    );
    expect(response.status).toBe(400);
    const [row] = await db.select().from(cannedReplies).where(eq(cannedReplies.id, id));
    expect(row?.inboxId).toBe(home.id);
  });
});

describe("open redirects around sign-in", () => {
  const targets = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "http://localhost:3000.evil.example/",
    "http://localhost:3000@evil.example/",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
  ];

  function assertSameOrigin(location: string | null | undefined) {
    if (!location) return;
    const resolved = new URL(location, baseUrl);
    expect(resolved.origin, location).toBe(new URL(baseUrl).origin);
    expect(resolved.protocol).toMatch(/^https?:$/);
  }

  it.each(targets)("never sends a signed-in user to %s after the credentials callback", async (target) => {
    const account = await createAccount(database().handle.db, { inboxIds: [home.id] });
    const csrf = await authGet(new Request(`${baseUrl}/api/auth/csrf`));
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookies = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const response = await authPost(
      new Request(`${baseUrl}/api/auth/callback/credentials`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: cookies,
          "x-parley-client-ip": nextIp(),
        },
        body: new URLSearchParams({
          email: account.email,
          password: account.password,
          code: currentCode(account),
          csrfToken,
          callbackUrl: target,
          json: "true",
        }),
      }),
    );
    // next-auth's default redirect callback threw on some of these: a 500 instead of a sign-in.
    expect(response.status).toBeLessThan(500);
    assertSameOrigin(response.headers.get("location"));
    const text = await response.text();
    const url = (JSON.parse(text || "{}") as { url?: string }).url;
    assertSameOrigin(url);
  });

  it.each(targets)("never redirects to %s from the sign-in and sign-out pages", async (target) => {
    for (const path of ["signin", "signout", "error"]) {
      const response = await authGet(
        new Request(`${baseUrl}/api/auth/${path}?callbackUrl=${encodeURIComponent(target)}`),
      );
      assertSameOrigin(response.headers.get("location"));
    }
  });
});
