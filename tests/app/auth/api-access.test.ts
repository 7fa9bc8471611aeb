import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listAccessReview, POST as reviewAccess } from "@/app/api/v1/admin/access-review/route";
import { GET as auditLogRoute } from "@/app/api/v1/admin/audit-log/route";
import { PATCH as patchUser } from "@/app/api/v1/admin/users/[userId]/route";
import { POST as resetTwoFactor } from "@/app/api/v1/admin/users/[userId]/reset-2fa/route";
import { POST as resetPassword } from "@/app/api/v1/admin/users/[userId]/reset-password/route";
import { GET as listUsers, POST as createUser } from "@/app/api/v1/admin/users/route";
import { POST as setStatus } from "@/app/api/v1/conversations/[id]/status/route";
import { GET as getMe } from "@/app/api/v1/me/route";
import { DELETE as revokeToken } from "@/app/api/v1/me/tokens/[tokenId]/route";
import { GET as listTokens, POST as createToken } from "@/app/api/v1/me/tokens/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { auditLog, conversations, users } from "@/lib/db/schema";
import { signInLimits } from "@/lib/domain/auth";
import { setupTestDatabase } from "../../support/db";
import { createConversation, createInbox } from "../../support/factories";
import {
  apiRequest,
  createAccount,
  params,
  sessionCookie,
  signInThroughNextAuth,
  type TestAccount,
} from "../../support/auth";

const database = setupTestDatabase();
let admin: TestAccount;
let agent: TestAccount;
let adminCookie: string;
let agentCookie: string;
let support: { id: string };
let sales: { id: string };

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  support = await createInbox(db, { name: "Support" });
  sales = await createInbox(db, { name: "Sales" });
  admin = await createAccount(db, { role: "admin", inboxIds: [support.id, sales.id] });
  agent = await createAccount(db, { role: "agent", inboxIds: [support.id] });
  adminCookie = await sessionCookie(admin);
  agentCookie = await sessionCookie(agent);
});

afterAll(() => clearDatabaseHandle());

type ErrorBody = { error: { code: string; message: string } };
async function errorOf(response: Response) {
  return ((await response.json()) as ErrorBody).error;
}

describe("inbox scoping and role permissions through the JSON API", () => {
  it("answers 404 when an agent touches another inbox's conversation by id, and changes nothing", async () => {
    const { db } = database().handle;
    const foreign = await createConversation(db, sales.id);
    const response = await setStatus(
      apiRequest(`/api/v1/conversations/${foreign.id}/status`, {
        method: "POST",
        cookie: agentCookie,
        body: { status: "resolved" },
      }),
      params({ id: foreign.id }),
    );
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
    const [row] = await db.select().from(conversations).where(eq(conversations.id, foreign.id));
    expect(row?.status).toBe("open");
  });

  it("lets the agent change a conversation in their own inbox", async () => {
    const { db } = database().handle;
    const own = await createConversation(db, support.id);
    const response = await setStatus(
      apiRequest(`/api/v1/conversations/${own.id}/status`, {
        method: "POST",
        cookie: agentCookie,
        body: { status: "pending" },
      }),
      params({ id: own.id }),
    );
    expect(response.status).toBe(200);
  });

  it("answers 403 to an agent on every admin endpoint", async () => {
    const responses = await Promise.all([
      listUsers(apiRequest("/api/v1/admin/users", { cookie: agentCookie }), undefined),
      createUser(
        apiRequest("/api/v1/admin/users", {
          method: "POST",
          cookie: agentCookie,
          body: { email: "new@example.test", name: "New", role: "admin" },
        }),
        undefined,
      ),
      patchUser(
        apiRequest(`/api/v1/admin/users/${agent.id}`, {
          method: "PATCH",
          cookie: agentCookie,
          body: { role: "admin" },
        }),
        params({ userId: agent.id }),
      ),
      resetTwoFactor(
        apiRequest(`/api/v1/admin/users/${admin.id}/reset-2fa`, { method: "POST", cookie: agentCookie }),
        params({ userId: admin.id }),
      ),
      resetPassword(
        apiRequest(`/api/v1/admin/users/${admin.id}/reset-password`, { method: "POST", cookie: agentCookie }),
        params({ userId: admin.id }),
      ),
      listAccessReview(apiRequest("/api/v1/admin/access-review", { cookie: agentCookie }), undefined),
      reviewAccess(
        apiRequest("/api/v1/admin/access-review", {
          method: "POST",
          cookie: agentCookie,
          body: { userId: admin.id, decision: "revoke" },
        }),
        undefined,
      ),
      auditLogRoute(apiRequest("/api/v1/admin/audit-log", { cookie: agentCookie }), undefined),
    ]);
    expect(responses.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    const [row] = await database().handle.db.select().from(users).where(eq(users.id, agent.id));
    expect(row?.role).toBe("agent");
  });

  it("answers 401 without a session", async () => {
    expect((await listUsers(apiRequest("/api/v1/admin/users"), undefined)).status).toBe(401);
  });

  it("refuses a cross-site state change even with a valid session", async () => {
    const request = new Request("http://localhost:3000/api/v1/admin/users", {
      method: "POST",
      headers: { cookie: adminCookie, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ email: "x@example.test", name: "X", role: "admin" }),
    });
    expect((await createUser(request, undefined)).status).toBe(403);
  });
});

describe("admin user management", () => {
  it("creates a user with a role and inboxes, returning a generated password once", async () => {
    const response = await createUser(
      apiRequest("/api/v1/admin/users", {
        method: "POST",
        cookie: adminCookie,
        body: { email: "  Casey@Example.test ", name: "Casey", role: "supervisor", inboxIds: [support.id] },
      }),
      undefined,
    );
    expect(response.status).toBe(201);
    const body = (await response.json()) as {
      user: { email: string; role: string; inboxes: unknown[] };
      generatedPassword: string;
    };
    expect(body.user).toMatchObject({
      email: "casey@example.test",
      role: "supervisor",
      inboxes: [{ id: support.id, name: "Support" }],
    });
    expect(body.generatedPassword).toHaveLength(20);

    const duplicate = await createUser(
      apiRequest("/api/v1/admin/users", {
        method: "POST",
        cookie: adminCookie,
        body: { email: "casey@example.test", name: "C", role: "agent" },
      }),
      undefined,
    );
    expect(duplicate.status).toBe(409);
  });

  it("refuses a weak password, unknown fields and a bad role with 400", async () => {
    const post = (body: unknown) =>
      createUser(apiRequest("/api/v1/admin/users", { method: "POST", cookie: adminCookie, body }), undefined);
    const weak = await post({ email: "w@example.test", name: "W", role: "agent", password: "password1234" });
    expect(weak.status).toBe(400);
    expect((await errorOf(weak)).message).toMatch(/too common/);
    const short = await post({ email: "s@example.test", name: "S", role: "agent", password: "short" });
    expect((await errorOf(short)).message).toMatch(/at least 12 characters/);
    const extra = await post({
      email: "e@example.test",
      name: "E",
      role: "agent",
      status: "active",
      sessionVersion: 9,
    });
    expect(extra.status).toBe(400);
    const badRole = await post({ email: "r@example.test", name: "R", role: "owner" });
    expect((await errorOf(badRole)).message).toMatch(/role must be admin, supervisor or agent/);
  });

  it("changes role and inboxes, ending the user's sessions on a role change", async () => {
    const { db } = database().handle;
    const person = await createAccount(db, { inboxIds: [support.id] });
    const cookie = await sessionCookie(person);
    const response = await patchUser(
      apiRequest(`/api/v1/admin/users/${person.id}`, {
        method: "PATCH",
        cookie: adminCookie,
        body: { role: "supervisor", inboxIds: [sales.id] },
      }),
      params({ userId: person.id }),
    );
    expect(response.status).toBe(200);
    expect((await getMe(apiRequest("/api/v1/me", { cookie }), undefined)).status).toBe(401);
    const fresh = await sessionCookie(person, { sessionVersion: 2 });
    const me = (await (await getMe(apiRequest("/api/v1/me", { cookie: fresh }), undefined)).json()) as {
      role: string;
      inboxes: { id: string }[];
    };
    expect(me.role).toBe("supervisor");
    expect(me.inboxes.map((i) => i.id)).toEqual([sales.id]);
    const actions = (await db.select().from(auditLog).where(eq(auditLog.targetId, person.id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["user.role_changed", "user.inboxes_changed"]));
  });

  it("refuses to let the last active admin demote or deactivate themselves", async () => {
    const demote = await patchUser(
      apiRequest(`/api/v1/admin/users/${admin.id}`, {
        method: "PATCH",
        cookie: adminCookie,
        body: { role: "agent" },
      }),
      params({ userId: admin.id }),
    );
    expect(demote.status).toBe(409);
    expect((await errorOf(demote)).message).toMatch(/last active admin/);
    const deactivate = await patchUser(
      apiRequest(`/api/v1/admin/users/${admin.id}`, {
        method: "PATCH",
        cookie: adminCookie,
        body: { status: "deactivated" },
      }),
      params({ userId: admin.id }),
    );
    expect(deactivate.status).toBe(403);
    const [row] = await database().handle.db.select().from(users).where(eq(users.id, admin.id));
    expect(row).toMatchObject({ role: "admin", status: "active" });
  });

  it("ignores nothing: a PATCH with a field it does not know is refused whole", async () => {
    const { db } = database().handle;
    const person = await createAccount(db);
    const response = await patchUser(
      apiRequest(`/api/v1/admin/users/${person.id}`, {
        method: "PATCH",
        cookie: adminCookie,
        body: { role: "supervisor", passwordHash: "x" },
      }),
      params({ userId: person.id }),
    );
    expect(response.status).toBe(400);
    const [row] = await db.select().from(users).where(eq(users.id, person.id));
    expect(row?.role).toBe("agent");
  });

  it("resets 2FA so the user must enrol again, and resets a password", async () => {
    const { db } = database().handle;
    const person = await createAccount(db);
    const reset = await resetTwoFactor(
      apiRequest(`/api/v1/admin/users/${person.id}/reset-2fa`, { method: "POST", cookie: adminCookie }),
      params({ userId: person.id }),
    );
    expect(reset.status).toBe(200);
    const [row] = await db.select().from(users).where(eq(users.id, person.id));
    expect(row).toMatchObject({ totpSecretEncrypted: null, totpEnabledAt: null, sessionVersion: 2 });

    const password = await resetPassword(
      apiRequest(`/api/v1/admin/users/${person.id}/reset-password`, { method: "POST", cookie: adminCookie }),
      params({ userId: person.id }),
    );
    const { password: newPassword } = (await password.json()) as { password: string };
    const signIn = await signInThroughNextAuth({ email: person.email, password: newPassword });
    expect(signIn.cookie).toBeDefined();
    expect((await getMe(apiRequest("/api/v1/me", { cookie: signIn.cookie }), undefined)).status).toBe(403);
  });

  it("lists users with their inboxes and 2FA state", async () => {
    const response = await listUsers(apiRequest("/api/v1/admin/users", { cookie: adminCookie }), undefined);
    const body = (await response.json()) as {
      users: { id: string; twoFactorEnabled: boolean }[];
      inboxes: unknown[];
    };
    expect(body.users.find((u) => u.id === agent.id)?.twoFactorEnabled).toBe(true);
    expect(body.inboxes).toHaveLength(2);
  });
});

describe("access review", () => {
  it("flags, confirms and revokes access, and a revoked user's session ends", async () => {
    const { db } = database().handle;
    const stale = await createAccount(db);
    const longAgo = new Date(Date.now() - 120 * 86_400_000);
    await db
      .update(users)
      .set({ createdAt: longAgo, accessReviewedAt: longAgo, lastLoginAt: longAgo })
      .where(eq(users.id, stale.id));

    const list = (await (
      await listAccessReview(apiRequest("/api/v1/admin/access-review", { cookie: adminCookie }), undefined)
    ).json()) as {
      users: { id: string; flags: { inactive: boolean; reviewOverdue: boolean } }[];
    };
    expect(list.users.find((u) => u.id === stale.id)?.flags).toEqual({ inactive: true, reviewOverdue: true });

    const confirm = await reviewAccess(
      apiRequest("/api/v1/admin/access-review", {
        method: "POST",
        cookie: adminCookie,
        body: { userId: stale.id, decision: "confirm" },
      }),
      undefined,
    );
    expect(confirm.status).toBe(200);
    const cookie = await sessionCookie(stale);
    const revoke = await reviewAccess(
      apiRequest("/api/v1/admin/access-review", {
        method: "POST",
        cookie: adminCookie,
        body: { userId: stale.id, decision: "revoke" },
      }),
      undefined,
    );
    expect(revoke.status).toBe(200);
    expect((await getMe(apiRequest("/api/v1/me", { cookie }), undefined)).status).toBe(401);
    const actions = (await db.select().from(auditLog).where(eq(auditLog.targetId, stale.id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["access_review.confirmed", "access_review.revoked"]));
  });
});

describe("personal API tokens", () => {
  it("are shown once, work as a bearer token, are listed without the secret, and stop working when revoked", async () => {
    const created = await createToken(
      apiRequest("/api/v1/me/tokens", { method: "POST", cookie: agentCookie, body: { name: "scripts" } }),
      undefined,
    );
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect(token).toMatch(/^prl_[A-Za-z0-9_-]{43}$/);

    const me = await getMe(apiRequest("/api/v1/me", { bearer: token }), undefined);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(agent.id);

    const listed = (await (
      await listTokens(apiRequest("/api/v1/me/tokens", { cookie: agentCookie }), undefined)
    ).json()) as {
      tokens: Record<string, unknown>[];
    };
    expect(listed.tokens[0]).toMatchObject({ id, name: "scripts" });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed.tokens[0]?.lastUsedAt).not.toBeNull();

    // A token carries its user's permissions: no admin endpoints for an agent.
    expect((await listUsers(apiRequest("/api/v1/admin/users", { bearer: token }), undefined)).status).toBe(
      403,
    );

    const revoked = await revokeToken(
      apiRequest(`/api/v1/me/tokens/${id}`, { method: "DELETE", cookie: agentCookie }),
      params({ tokenId: id }),
    );
    expect(revoked.status).toBe(200);
    const after = await getMe(apiRequest("/api/v1/me", { bearer: token }), undefined);
    expect(after.status).toBe(401);

    const { db } = database().handle;
    const audit = (await db.select().from(auditLog).where(eq(auditLog.targetId, id))).map((a) => a.action);
    expect(audit).toEqual(
      expect.arrayContaining(["api_token.created", "api_token.used", "api_token.revoked"]),
    );
  });

  it("refuses the token of a deactivated user with 401", async () => {
    const { db } = database().handle;
    const person = await createAccount(db);
    const created = await createToken(
      apiRequest("/api/v1/me/tokens", {
        method: "POST",
        cookie: await sessionCookie(person),
        body: { name: "ci" },
      }),
      undefined,
    );
    const { token } = (await created.json()) as { token: string };
    expect((await getMe(apiRequest("/api/v1/me", { bearer: token }), undefined)).status).toBe(200);
    await patchUser(
      apiRequest(`/api/v1/admin/users/${person.id}`, {
        method: "PATCH",
        cookie: adminCookie,
        body: { status: "deactivated" },
      }),
      params({ userId: person.id }),
    );
    const refused = await getMe(apiRequest("/api/v1/me", { bearer: token }), undefined);
    expect(refused.status).toBe(401);
    expect((await errorOf(refused)).message).toMatch(/deactivated/);
  });

  it("cannot mint more tokens or revoke someone else's", async () => {
    const created = await createToken(
      apiRequest("/api/v1/me/tokens", { method: "POST", cookie: adminCookie, body: { name: "admin token" } }),
      undefined,
    );
    const { id, token } = (await created.json()) as { id: string; token: string };
    const minted = await createToken(
      apiRequest("/api/v1/me/tokens", { method: "POST", bearer: token, body: { name: "more" } }),
      undefined,
    );
    expect(minted.status).toBe(403);
    const foreign = await revokeToken(
      apiRequest(`/api/v1/me/tokens/${id}`, { method: "DELETE", cookie: agentCookie }),
      params({ tokenId: id }),
    );
    expect(foreign.status).toBe(404);
  });

  it("refuses a malformed bearer token with 401", async () => {
    expect((await getMe(apiRequest("/api/v1/me", { bearer: "prl_nope" }), undefined)).status).toBe(401);
  });
});

describe("audit log", () => {
  it("names the person an entry is about, not only their id", async () => {
    const { db } = database().handle;
    const person = await createAccount(db, { inboxIds: [support.id] });
    const changed = await patchUser(
      apiRequest(`/api/v1/admin/users/${person.id}`, {
        method: "PATCH",
        cookie: adminCookie,
        body: { role: "supervisor" },
      }),
      params({ userId: person.id }),
    );
    expect(changed.status).toBe(200);
    const response = await auditLogRoute(
      apiRequest(`/api/v1/admin/audit-log?targetType=user&targetId=${person.id}`, { cookie: adminCookie }),
      undefined,
    );
    const { items } = (await response.json()) as {
      items: { action: string; actorName: string | null; targetName: string | null }[];
    };
    const roleChange = items.find((item) => item.action === "user.role_changed");
    expect(roleChange).toMatchObject({ actorName: admin.name, targetName: person.name });
  });

  it("filters by actor and action and pages by cursor", async () => {
    const first = await auditLogRoute(
      apiRequest(`/api/v1/admin/audit-log?actorId=${admin.id}&limit=2`, { cookie: adminCookie }),
      undefined,
    );
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as {
      items: { id: number; actorId: string }[];
      nextCursor: string | null;
    };
    expect(page1.items).toHaveLength(2);
    expect(page1.items.every((i) => i.actorId === admin.id)).toBe(true);
    expect(page1.nextCursor).not.toBeNull();
    const second = (await (
      await auditLogRoute(
        apiRequest(`/api/v1/admin/audit-log?actorId=${admin.id}&limit=2&cursor=${page1.nextCursor}`, {
          cookie: adminCookie,
        }),
        undefined,
      )
    ).json()) as { items: { id: number }[] };
    expect(second.items[0]?.id).toBeLessThan(page1.items[1]?.id ?? 0);

    const byAction = (await (
      await auditLogRoute(
        apiRequest("/api/v1/admin/audit-log?action=user.created", { cookie: adminCookie }),
        undefined,
      )
    ).json()) as { items: { action: string }[] };
    expect(byAction.items.length).toBeGreaterThan(0);
    expect(byAction.items.every((i) => i.action === "user.created")).toBe(true);

    const bad = await auditLogRoute(
      apiRequest("/api/v1/admin/audit-log?from=yesterday", { cookie: adminCookie }),
      undefined,
    );
    expect(bad.status).toBe(400);
  });
});

describe("sign-in throttling over HTTP", () => {
  it(
    "answers 429 with a readable message and Retry-After once an account is locked out",
    { timeout: 60_000 },
    async () => {
      const { db } = database().handle;
      const target = await createAccount(db);
      await Promise.all(
        Array.from({ length: signInLimits.account }, (_, i) =>
          signInThroughNextAuth(
            { email: target.email, password: `bad password ${i}` },
            { ip: `192.0.2.${i % 250}` },
          ),
        ),
      );
      const { response } = await signInThroughNextAuth({ email: target.email, password: target.password });
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((await errorOf(response)).message).toMatch(
        /^Too many sign-in attempts; try again in \d+ minutes\.$/,
      );
      const lockouts = await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "auth.locked_out"), eq(auditLog.targetId, target.email)));
      expect(lockouts).toHaveLength(1);
    },
  );
});
