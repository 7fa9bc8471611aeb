/**
 * IDOR and role matrix: every route under app/api/v1 (found on disk) × every method × every kind of
 * caller, aimed at another inbox's resources, over a real HTTP server. A route or method without a
 * matrix entry fails the suite, so a new endpoint cannot ship unreviewed.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import {
  apiTokens,
  cannedReplies,
  consentEvents,
  contacts,
  conversationLabels,
  conversations,
  inboxMembers,
  labels,
  messages,
  slaEvents,
  templates,
  users,
} from "@/lib/db/schema";
import { createApiToken } from "@/lib/domain/api-tokens";
import type { TestServer } from "../support/http-server";
import { setupTestDatabase } from "../support/db";
import {
  addMember,
  createContact,
  createConversation,
  createInbox,
  createMessage,
} from "../support/factories";
import { createAccount, sessionCookie, type TestAccount } from "../support/auth";
import { loadApiRoutes, serveApi, type ApiRoute, type HttpMethod } from "./api-router";

const database = setupTestDatabase();

// Admin last: an admin may legitimately change another inbox's templates and canned replies.
const roles = ["anonymous", "deactivated", "agent", "supervisor", "agentToken", "admin"] as const;
type Role = (typeof roles)[number];

/**
 * denied: 401, 403 or 404; refused: any 4xx; allowed: neither 401 nor 403. Never a 5xx; unless
 * allowed, nothing of the other inbox changes; unless the role is admin on an admin-wide route,
 * nothing of the other inbox is in the answer.
 */
type Outcome = "denied" | "refused" | "allowed" | 400 | 401 | 403 | 404;

const FOREIGN_MARKER = "FOREIGN-INBOX-SECRET";

interface Fixture {
  home: { id: string };
  foreign: { id: string };
  contact: { id: string };
  conversation: { id: string };
  message: { id: string };
  mediaMessage: { id: string };
  failedMessage: { id: string };
  label: { id: string };
  cannedReply: { id: string };
  template: { id: string };
  breach: { id: string };
  victim: TestAccount;
  victimTokenId: string;
  accounts: Record<Exclude<Role, "anonymous" | "agentToken">, TestAccount>;
}

interface Cell {
  path: (fx: Fixture) => string;
  body?: (fx: Fixture) => unknown;
  expect: Record<Role, Outcome>;
  /** Admins manage users, templates and canned replies of every inbox: they may see its names. */
  adminSeesAll?: boolean;
}

const ANON = { anonymous: 401, deactivated: 401 } as const;
/** A resource of an inbox the caller is not a member of. */
const foreignResource = {
  ...ANON,
  agent: "denied",
  supervisor: "denied",
  admin: "denied",
  agentToken: "denied",
} as const;
/** A foreign resource behind a permission: callers without it 403, the rest 404 (scoped lookup). */
const foreignBehind = (allowed: readonly ("supervisor" | "admin")[]) =>
  ({
    ...ANON,
    agent: 403,
    agentToken: 403,
    supervisor: allowed.includes("supervisor") ? 404 : 403,
    admin: allowed.includes("admin") ? 404 : 403,
  }) as const;
/** Admin-only: everyone else is refused outright. */
const adminOnly = { ...ANON, agent: 403, supervisor: 403, admin: "allowed", agentToken: 403 } as const;
/** Lists filtered to another inbox: answered, but empty of it. */
const filtered = {
  ...ANON,
  agent: "allowed",
  supervisor: "allowed",
  admin: "allowed",
  agentToken: "allowed",
} as const;
/** Admin-managed things of any inbox: others are refused, admins may. */
const adminManaged = {
  ...ANON,
  agent: "denied",
  supervisor: "denied",
  admin: "allowed",
  agentToken: "denied",
} as const;
/** The caller's own things: anyone signed in; answers never leak the other inbox. */
const ownThings = {
  ...ANON,
  agent: "allowed",
  supervisor: "allowed",
  admin: "allowed",
  agentToken: "allowed",
} as const;

const period = "from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z";

export const matrix: Record<string, Partial<Record<HttpMethod, Cell>>> = {
  "admin/privacy": {
    GET: { path: () => "/api/v1/admin/privacy", expect: adminOnly, adminSeesAll: true },
    // An empty body is a valid no-op for an admin; the settings are instance-wide.
    PUT: { path: () => "/api/v1/admin/privacy", body: () => ({}), expect: adminOnly },
  },
  "admin/privacy/retention-runs": {
    POST: {
      path: () => "/api/v1/admin/privacy/retention-runs",
      body: () => ({}),
      // Instance-wide; the fixture's messages are fresh, so nothing of the other inbox is swept.
      expect: adminOnly,
    },
  },
  "contacts/[id]": {
    GET: {
      path: (fx) => `/api/v1/contacts/${fx.contact.id}`,
      expect: { ...ANON, agent: 404, supervisor: 404, admin: 404, agentToken: 404 },
    },
    PATCH: {
      path: (fx) => `/api/v1/contacts/${fx.contact.id}`,
      // A valid correction, so the scoped lookup (not validation) is what refuses it.
      body: () => ({ profileName: "pwned", reason: "the customer asked" }),
      expect: { ...ANON, agent: 404, supervisor: 404, admin: 404, agentToken: 404 },
    },
  },
  "contacts/[id]/export": {
    GET: {
      path: (fx) => `/api/v1/contacts/${fx.contact.id}/export`,
      expect: foreignBehind(["supervisor", "admin"]),
    },
  },
  "contacts/[id]/erase": {
    POST: {
      path: (fx) => `/api/v1/contacts/${fx.contact.id}/erase`,
      body: () => ({ confirmation: "ERASE", reason: "the customer asked" }),
      expect: foreignBehind(["admin"]),
    },
  },
  "contacts/[id]/consents": {
    GET: {
      path: (fx) => `/api/v1/contacts/${fx.contact.id}/consents`,
      expect: { ...ANON, agent: 404, supervisor: 404, admin: 404, agentToken: 404 },
    },
    POST: {
      path: (fx) => `/api/v1/contacts/${fx.contact.id}/consents`,
      body: () => ({ purpose: "marketing", action: "opt_in", evidence: "yes please" }),
      expect: { ...ANON, agent: 404, supervisor: 404, admin: 404, agentToken: 404 },
    },
  },
  consents: {
    // Website forms with an API token: only for the caller's own inboxes.
    POST: {
      path: () => `/api/v1/consents`,
      body: (fx) => ({
        inboxId: fx.foreign.id,
        phone: "+447700900123",
        purpose: "marketing",
        action: "opt_in",
        source: "web_form",
        evidence: "I agree to receive offers",
      }),
      expect: { ...ANON, agent: 404, supervisor: 404, admin: 404, agentToken: 404 },
    },
  },
  "consents/import": {
    POST: {
      path: (fx) => `/api/v1/consents/import?inboxId=${fx.foreign.id}`,
      body: () => "phone,purpose,action,evidence\n+447700900124,marketing,opt_in,yes\n",
      expect: { ...ANON, agent: 403, agentToken: 403, supervisor: "denied", admin: "denied" },
    },
  },
  "inboxes/[id]/consent-settings": {
    // Like business hours, an inbox's keywords and confirmations are admin-managed for every inbox.
    GET: {
      path: (fx) => `/api/v1/inboxes/${fx.foreign.id}/consent-settings`,
      expect: adminOnly,
      adminSeesAll: true,
    },
    PUT: {
      path: (fx) => `/api/v1/inboxes/${fx.foreign.id}/consent-settings`,
      // Invalid on purpose: the permission is checked first (403); the admin's 400 writes nothing.
      body: () => ({ extraOptOutKeywords: "not a list" }),
      expect: { ...adminOnly, admin: 400 },
    },
  },
  "inboxes/[id]/sla-settings": {
    // Business hours and SLA policies are admin-managed for every inbox (business_hours.manage).
    GET: {
      path: (fx) => `/api/v1/inboxes/${fx.foreign.id}/sla-settings`,
      expect: adminOnly,
      adminSeesAll: true,
    },
    PUT: {
      path: (fx) => `/api/v1/inboxes/${fx.foreign.id}/sla-settings`,
      // Invalid on purpose: permissions are checked before the body (403 for the others); the
      // admin's 400 comes from validation before any lookup or write.
      body: () => ({}),
      expect: { ...adminOnly, admin: 400 },
    },
  },
  "messages/[messageId]/original": {
    GET: { path: (fx) => `/api/v1/messages/${fx.message.id}/original`, expect: foreignBehind(["admin"]) },
  },
  // SLA filters naming an inbox the caller is not a member of are "not found", admins included.
  "sla/board": {
    GET: {
      path: (fx) => `/api/v1/sla/board?inboxId=${fx.foreign.id}`,
      expect: foreignBehind(["supervisor", "admin"]),
    },
  },
  "sla/breaches": {
    GET: {
      path: (fx) => `/api/v1/sla/breaches?inboxId=${fx.foreign.id}`,
      expect: foreignBehind(["supervisor", "admin"]),
    },
  },
  "sla/breaches/[id]/review": {
    POST: {
      // The other inbox's breached clock, with a valid review: the scoped lookup refuses it.
      path: (fx) => `/api/v1/sla/breaches/${fx.breach.id}/review`,
      body: () => ({ reason: "other", note: "reviewed from the wrong inbox" }),
      expect: foreignBehind(["supervisor", "admin"]),
    },
  },
  "sla/reports": {
    GET: {
      path: (fx) => `/api/v1/sla/reports?inboxId=${fx.foreign.id}&${period}`,
      expect: foreignBehind(["supervisor", "admin"]),
    },
  },
  "sla/reports/export": {
    GET: {
      path: (fx) => `/api/v1/sla/reports/export?inboxId=${fx.foreign.id}&${period}`,
      expect: foreignBehind(["supervisor", "admin"]),
    },
  },
  "admin/access-review": {
    GET: { path: () => "/api/v1/admin/access-review", expect: adminOnly, adminSeesAll: true },
    POST: {
      path: () => "/api/v1/admin/access-review",
      body: (fx) => ({ userId: fx.victim.id, decision: "confirm" }),
      expect: adminOnly,
    },
  },
  "admin/audit-log": {
    GET: { path: () => "/api/v1/admin/audit-log", expect: adminOnly, adminSeesAll: true },
  },
  "admin/users": {
    GET: { path: () => "/api/v1/admin/users", expect: adminOnly, adminSeesAll: true },
    POST: {
      path: () => "/api/v1/admin/users",
      body: () => ({
        email: `new-${Math.random().toString(36).slice(2)}@example.test`,
        name: "New",
        role: "admin",
      }),
      expect: adminOnly,
    },
  },
  "admin/users/[userId]": {
    PATCH: {
      path: (fx) => `/api/v1/admin/users/${fx.victim.id}`,
      body: (fx) => ({ role: "supervisor", inboxIds: [fx.foreign.id, fx.home.id] }),
      expect: adminOnly,
    },
  },
  "admin/users/[userId]/reset-2fa": {
    POST: {
      path: (fx) => `/api/v1/admin/users/${fx.victim.id}/reset-2fa`,
      body: () => ({}),
      expect: adminOnly,
    },
  },
  "admin/users/[userId]/reset-password": {
    POST: {
      path: (fx) => `/api/v1/admin/users/${fx.victim.id}/reset-password`,
      body: () => ({}),
      expect: adminOnly,
    },
  },
  "canned-replies": {
    GET: {
      path: (fx) => `/api/v1/canned-replies?inboxId=${fx.foreign.id}`,
      expect: filtered,
      adminSeesAll: true,
    },
    POST: {
      path: () => "/api/v1/canned-replies",
      body: (fx) => ({ inboxId: fx.foreign.id, shortcut: `x${Date.now()}`, title: "x", body: "x" }),
      expect: adminManaged,
      adminSeesAll: true,
    },
  },
  "canned-replies/[id]": {
    PATCH: {
      path: (fx) => `/api/v1/canned-replies/${fx.cannedReply.id}`,
      body: () => ({ title: "pwned" }),
      expect: adminManaged,
      adminSeesAll: true,
    },
    DELETE: { path: (fx) => `/api/v1/canned-replies/${fx.cannedReply.id}`, expect: adminManaged },
  },
  conversations: {
    GET: { path: (fx) => `/api/v1/conversations?inboxId=${fx.foreign.id}`, expect: filtered },
  },
  "conversations/counts": {
    GET: { path: (fx) => `/api/v1/conversations/counts?inboxId=${fx.foreign.id}`, expect: filtered },
  },
  "conversations/[id]": {
    GET: { path: (fx) => `/api/v1/conversations/${fx.conversation.id}`, expect: foreignResource },
  },
  "conversations/[id]/assign": {
    POST: {
      path: (fx) => `/api/v1/conversations/${fx.conversation.id}/assign`,
      body: (fx) => ({ assigneeId: fx.accounts.agent.id }),
      expect: foreignResource,
    },
  },
  "conversations/[id]/labels/[labelId]": {
    PUT: {
      path: (fx) => `/api/v1/conversations/${fx.conversation.id}/labels/${fx.label.id}`,
      expect: foreignResource,
    },
    DELETE: {
      path: (fx) => `/api/v1/conversations/${fx.conversation.id}/labels/${fx.label.id}`,
      expect: foreignResource,
    },
  },
  "conversations/[id]/messages": {
    GET: { path: (fx) => `/api/v1/conversations/${fx.conversation.id}/messages`, expect: foreignResource },
    POST: {
      path: (fx) => `/api/v1/conversations/${fx.conversation.id}/messages`,
      body: () => ({ type: "text", body: "hello from the wrong inbox" }),
      expect: foreignResource,
    },
  },
  "conversations/[id]/messages/[messageId]/retry": {
    POST: {
      path: (fx) => `/api/v1/conversations/${fx.conversation.id}/messages/${fx.failedMessage.id}/retry`,
      expect: foreignResource,
    },
  },
  "conversations/[id]/notes": {
    POST: {
      path: (fx) => `/api/v1/conversations/${fx.conversation.id}/notes`,
      body: () => ({ body: "n" }),
      expect: foreignResource,
    },
  },
  "conversations/[id]/read": {
    POST: {
      path: (fx) => `/api/v1/conversations/${fx.conversation.id}/read`,
      body: () => ({}),
      expect: foreignResource,
    },
  },
  "conversations/[id]/status": {
    POST: {
      path: (fx) => `/api/v1/conversations/${fx.conversation.id}/status`,
      body: () => ({ status: "resolved" }),
      expect: foreignResource,
    },
  },
  "inboxes/[id]/members": {
    GET: { path: (fx) => `/api/v1/inboxes/${fx.foreign.id}/members`, expect: foreignResource },
  },
  labels: {
    // Labels are shared by every inbox: anyone reads them, only admins make them.
    GET: { path: () => "/api/v1/labels", expect: ownThings },
    POST: {
      path: () => "/api/v1/labels",
      body: () => ({ name: `l${Date.now()}${Math.random()}`.slice(0, 30) }),
      expect: adminOnly,
    },
  },
  me: { GET: { path: () => "/api/v1/me", expect: ownThings } },
  "me/password": {
    POST: {
      path: () => "/api/v1/me/password",
      body: () => ({ currentPassword: "not the password", newPassword: "a brand new long passphrase 77" }),
      // A wrong current password never changes anything; tokens may not change the password.
      expect: { ...ANON, agent: "allowed", supervisor: "allowed", admin: "allowed", agentToken: "denied" },
    },
  },
  "me/sign-out-everywhere": {
    POST: { path: () => "/api/v1/me/sign-out-everywhere", body: () => ({}), expect: ownThings },
  },
  "me/tokens": {
    GET: { path: () => "/api/v1/me/tokens", expect: ownThings },
    // A token cannot mint more tokens.
    POST: {
      path: () => "/api/v1/me/tokens",
      body: () => ({ name: "t" }),
      expect: { ...ANON, agent: "allowed", supervisor: "allowed", admin: "allowed", agentToken: 403 },
    },
  },
  "me/tokens/[tokenId]": {
    // Someone else's token, by id.
    DELETE: {
      path: (fx) => `/api/v1/me/tokens/${fx.victimTokenId}`,
      expect: { ...ANON, agent: 404, supervisor: 404, admin: 404, agentToken: 404 },
    },
  },
  "me/two-factor/enrolment": {
    // Only a session waiting for enrolment may enrol (others: 409); a token never.
    GET: {
      path: () => "/api/v1/me/two-factor/enrolment",
      expect: { ...ANON, agent: "refused", supervisor: "refused", admin: "refused", agentToken: 401 },
    },
    POST: {
      path: () => "/api/v1/me/two-factor/enrolment",
      body: () => ({ code: "000000" }),
      expect: { ...ANON, agent: "refused", supervisor: "refused", admin: "refused", agentToken: 401 },
    },
  },
  "media/[messageId]": {
    GET: { path: (fx) => `/api/v1/media/${fx.mediaMessage.id}`, expect: foreignResource },
  },
  templates: {
    GET: { path: (fx) => `/api/v1/templates?inboxId=${fx.foreign.id}`, expect: filtered, adminSeesAll: true },
    POST: {
      path: () => "/api/v1/templates",
      body: (fx) => ({
        inboxId: fx.foreign.id,
        name: "pwned_template",
        language: "en_US",
        category: "utility",
        body: "x",
      }),
      expect: { ...ANON, agent: 403, supervisor: 403, admin: "allowed", agentToken: 403 },
      adminSeesAll: true,
    },
  },
  "templates/[id]": {
    PATCH: {
      path: (fx) => `/api/v1/templates/${fx.template.id}`,
      body: () => ({ body: "pwned" }),
      expect: { ...ANON, agent: 403, supervisor: 403, admin: "allowed", agentToken: 403 },
      adminSeesAll: true,
    },
    DELETE: {
      path: (fx) => `/api/v1/templates/${fx.template.id}`,
      expect: { ...ANON, agent: 403, supervisor: 403, admin: "allowed", agentToken: 403 },
    },
  },
  "templates/sync": {
    POST: {
      path: () => "/api/v1/templates/sync",
      body: (fx) => ({ inboxId: fx.foreign.id }),
      expect: { ...ANON, agent: 403, supervisor: 403, admin: "allowed", agentToken: 403 },
    },
  },
};

let routes: ApiRoute[] = [];
let server: TestServer;
let fx: Fixture;

// Discovered before the tests are collected, so every route becomes its own set of cases.
const discovered = await loadApiRoutes();

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  routes = discovered;
  server = await serveApi(routes);

  const home = await createInbox(db, { name: "Home" });
  const foreign = await createInbox(db, { name: `Foreign ${FOREIGN_MARKER}` });
  const contact = await createContact(db, foreign.id, { profileName: `Customer ${FOREIGN_MARKER}` });
  const conversation = await createConversation(db, foreign.id, { contactId: contact.id });
  const message = await createMessage(db, conversation, { body: `Inbound ${FOREIGN_MARKER}` });
  const mediaMessage = await createMessage(db, conversation, {
    type: "image",
    body: null,
    payload: { image: { id: "media-1", mime_type: "image/jpeg" } },
  });
  const failedMessage = await createMessage(db, conversation, {
    direction: "outbound",
    authorKind: "agent",
    status: "failed",
    body: `Outbound ${FOREIGN_MARKER}`,
  });
  const [label] = await db.insert(labels).values({ name: "vip" }).returning();
  const [cannedReply] = await db
    .insert(cannedReplies)
    .values({
      inboxId: foreign.id,
      shortcut: "secret",
      title: `Canned ${FOREIGN_MARKER}`,
      body: FOREIGN_MARKER,
    })
    .returning();
  const [template] = await db
    .insert(templates)
    .values({
      inboxId: foreign.id,
      name: "foreign_template",
      language: "en_US",
      category: "utility",
      status: "approved",
      parameterFormat: "positional",
      body: `Template ${FOREIGN_MARKER}`,
      parameters: [],
    } as never)
    .returning();

  const accounts = {
    agent: await createAccount(db, { role: "agent", inboxIds: [home.id] }),
    supervisor: await createAccount(db, { role: "supervisor", inboxIds: [home.id] }),
    admin: await createAccount(db, { role: "admin", inboxIds: [home.id] }),
    deactivated: await createAccount(db, { role: "admin", inboxIds: [home.id, foreign.id] }),
  };
  await db.update(users).set({ status: "deactivated" }).where(eq(users.id, accounts.deactivated.id));
  const victim = await createAccount(db, { role: "agent", inboxIds: [foreign.id] });
  await addMember(db, foreign.id, (await createAccount(db, { role: "agent" })).id);
  const victimToken = await createApiToken({
    ctx: {
      db,
      now: new Date(),
      actor: { kind: "user", userId: victim.id, role: "agent", name: victim.name, via: "session" },
    },
    input: { name: "victim" },
  });
  const breachedAt = new Date(Date.now() - 60_000);
  const [breach] = await db
    .insert(slaEvents)
    .values({
      conversationId: conversation.id,
      inboxId: foreign.id,
      kind: "first_response",
      startedAt: new Date(breachedAt.getTime() - 3_600_000),
      clockStartedAt: new Date(breachedAt.getTime() - 3_600_000),
      dueAt: breachedAt,
      atRiskAt: new Date(breachedAt.getTime() - 600_000),
      targetMinutes: 60,
      clock: "calendar",
      breachedAt,
    })
    .returning();
  if (!label || !cannedReply || !template || !breach) throw new Error("fixture rows missing");
  fx = {
    home,
    foreign,
    contact,
    conversation,
    message,
    mediaMessage,
    failedMessage,
    label,
    cannedReply,
    template,
    breach,
    victim,
    victimTokenId: victimToken.id,
    accounts,
  };
});

afterAll(async () => {
  await server?.close();
  clearDatabaseHandle();
});

/** Fresh credentials for every call: earlier cells (sign-out-everywhere) must not end later ones. */
async function credentialsFor(role: Role): Promise<Record<string, string>> {
  const { db } = database().handle;
  if (role === "anonymous") return {};
  if (role === "agentToken") {
    const agent = fx.accounts.agent;
    const created = await createApiToken({
      ctx: {
        db,
        now: new Date(),
        actor: { kind: "user", userId: agent.id, role: "agent", name: agent.name, via: "session" },
      },
      input: { name: "matrix" },
    });
    return { authorization: `Bearer ${created.token}` };
  }
  const account = fx.accounts[role];
  const [row] = await db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, account.id));
  return { cookie: await sessionCookie(account, { sessionVersion: row?.v ?? 1 }) };
}

/** Everything of the other inbox (and the victim user) a refused request must leave alone. */
async function foreignState() {
  const { db } = database().handle;
  const [reply] = await db.select().from(cannedReplies).where(eq(cannedReplies.id, fx.cannedReply.id));
  const [template] = await db.select().from(templates).where(eq(templates.id, fx.template.id));
  const [token] = await db.select().from(apiTokens).where(eq(apiTokens.id, fx.victimTokenId));
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.id, fx.conversation.id));
  const thread = await db
    .select({ id: messages.id, status: messages.status })
    .from(messages)
    .where(eq(messages.conversationId, fx.conversation.id))
    .orderBy(messages.id);
  const [victim] = await db.select().from(users).where(eq(users.id, fx.victim.id));
  const [contact] = await db.select().from(contacts).where(eq(contacts.id, fx.contact.id));
  const consents = await db
    .select({ id: consentEvents.id })
    .from(consentEvents)
    .where(eq(consentEvents.contactId, fx.contact.id));
  const [breach] = await db.select().from(slaEvents).where(eq(slaEvents.id, fx.breach.id));
  const members = await db
    .select()
    .from(inboxMembers)
    .where(eq(inboxMembers.inboxId, fx.foreign.id))
    .orderBy(inboxMembers.userId);
  const userCount = (await db.select({ id: users.id }).from(users)).length;
  const labelsOn = await db
    .select()
    .from(conversationLabels)
    .where(eq(conversationLabels.conversationId, fx.conversation.id));
  const templateCount = (await db.select({ id: templates.id }).from(templates)).length;
  const replyCount = (await db.select({ id: cannedReplies.id }).from(cannedReplies)).length;
  return {
    reply,
    template,
    token,
    conversation,
    thread,
    victim,
    contact,
    consents,
    breach,
    members,
    userCount,
    labelsOn,
    templateCount,
    replyCount,
  };
}

describe("every /api/v1 route has a row in the authorization matrix", () => {
  it("finds the routes on disk", () => {
    expect(discovered.length).toBeGreaterThan(20);
  });
  it.each(
    discovered.flatMap((route) =>
      route.methods.map((method) => [`${method} ${route.pattern}`, route, method] as const),
    ),
  )("%s is in the matrix", (_name, route, method) => {
    expect(matrix[route.pattern]?.[method], `add "${route.pattern}" ${method} to the matrix`).toBeDefined();
  });
  it("has no rows for routes that no longer exist", () => {
    const onDisk = new Set(
      discovered.flatMap((route) => route.methods.map((method) => `${method} ${route.pattern}`)),
    );
    const inMatrix = Object.entries(matrix).flatMap(([pattern, cells]) =>
      Object.keys(cells).map((m) => `${m} ${pattern}`),
    );
    expect(inMatrix.filter((entry) => !onDisk.has(entry))).toEqual([]);
  });
});

const cases = discovered.flatMap((route) =>
  route.methods.flatMap((method) =>
    roles.map((role) => [`${method} ${route.pattern} as ${role}`, route.pattern, method, role] as const),
  ),
);

describe("authorization matrix: another inbox's resources, every role", () => {
  it.each(cases)("%s", async (_name, pattern, method, role) => {
    const cell = matrix[pattern]?.[method];
    if (!cell) throw new Error(`no matrix row for ${method} ${pattern}`);
    const before = await foreignState();
    const expected = cell.expect[role];
    const body = cell.body?.(fx);
    const headers: Record<string, string> = { ...(await credentialsFor(role)) };
    // A string body is a CSV upload (text/csv); anything else is JSON.
    if (body !== undefined)
      headers["content-type"] = typeof body === "string" ? "text/csv" : "application/json";
    const response = await fetch(`${server.url}${cell.path(fx)}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      redirect: "manual",
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(500);
    if (expected === "denied") expect([401, 403, 404], text).toContain(response.status);
    else if (expected === "refused") expect(response.status, text).toBeGreaterThanOrEqual(400);
    else if (expected === "allowed") expect([401, 403], text).not.toContain(response.status);
    else expect(response.status, text).toBe(expected);
    if (expected !== "allowed") expect(await foreignState(), "the other inbox changed").toEqual(before);
    if (!(role === "admin" && cell.adminSeesAll)) {
      expect(text).not.toContain(FOREIGN_MARKER);
      expect(text).not.toContain(fx.conversation.id);
    }
  });
});
