import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/consents/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { auditLog, consentEvents, contacts, type Inbox } from "@/lib/db/schema";
import { createApiToken } from "@/lib/domain/api-tokens";
import { setupTestDatabase } from "../../support/db";
import { apiRequest, createAccount, sessionCookie, type TestAccount } from "../../support/auth";
import { createContact, createInbox } from "../../support/factories";

const database = setupTestDatabase();
let inbox: Inbox;
let other: Inbox;
let agent: TestAccount;
let token: string;
let tokenId: string;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inbox = await createInbox(db);
  other = await createInbox(db);
  agent = await createAccount(db, { inboxIds: [inbox.id], name: "Website" });
  const created = await createApiToken({
    ctx: {
      db,
      now: new Date(),
      actor: { kind: "user", userId: agent.id, role: agent.role, name: agent.name, via: "session" },
    },
    input: { name: "website form" },
  });
  token = created.token;
  tokenId = created.id;
});

afterAll(() => clearDatabaseHandle());

const form = (overrides: Record<string, unknown> = {}) => ({
  inboxId: inbox.id,
  phone: "+7 (912) 345-67-89",
  purpose: "marketing",
  action: "opt_in",
  source: "web_form",
  evidence: "☑ Send me offers on WhatsApp (signup form, example.com/join)",
  ...overrides,
});

function post(body: unknown, auth: { bearer?: string; cookie?: string } = { bearer: token }) {
  return POST(apiRequest("/api/v1/consents", { method: "POST", body, ...auth }), undefined);
}

describe("POST /api/v1/consents", () => {
  it("records a website form's opt-in with an API token, creating the contact by its number, and audits it", async () => {
    const response = await post(form({ occurredAt: "2026-11-01T10:00:00+03:00" }));
    expect(response.status).toBe(201);
    const payload = (await response.json()) as { contactId: string; contactCreated: boolean };
    expect(payload).toMatchObject({
      contactCreated: true,
      event: { purpose: "marketing", action: "opt_in", source: "web_form", recordedBy: agent.id },
      consent: { marketing: { state: "opted_in", source: "web_form" } },
    });
    const { db } = database().handle;
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, payload.contactId));
    expect(contact).toMatchObject({ inboxId: inbox.id, waId: "79123456789", phone: "+79123456789" });
    const [event] = await db
      .select()
      .from(consentEvents)
      .where(eq(consentEvents.contactId, payload.contactId));
    expect(event?.occurredAt.toISOString()).toBe("2026-11-01T07:00:00.000Z");
    // The ledger names the token that wrote the opt-in, beside its owner.
    expect(event).toMatchObject({ recordedBy: agent.id, apiTokenId: tokenId });
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "consent.recorded"), eq(auditLog.targetId, payload.contactId)));
    expect(audit).toMatchObject([{ actorKind: "api_token", actorId: agent.id }]);
  });

  it("finds an existing contact by its number rather than creating another", async () => {
    const existing = await createContact(database().handle.db, inbox.id, { waId: "4915123456789" });
    const cookie = await sessionCookie(agent);
    const response = await post(
      form({ phone: "4915123456789", action: "opt_out", source: "event_registration", evidence: "Unticked" }),
      { cookie },
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      contactId: existing.id,
      contactCreated: false,
      // Sent with a session, not a token.
      event: { recordedBy: agent.id, apiTokenId: null },
    });
  });

  it("refuses missing evidence, bad numbers, unknown values and future dates with readable 400s, writing nothing", async () => {
    const { db } = database().handle;
    const before = (await db.select().from(consentEvents)).length;
    for (const [body, words] of [
      [form({ evidence: undefined }), /evidence is required/],
      [form({ evidence: "  " }), /evidence is required/],
      [form({ phone: "8 912 345-67-89" }), /phone "8 912 345-67-89"/],
      [form({ phone: "call me" }), /international format/],
      [form({ purpose: "spam" }), /purpose must be service or marketing/],
      [form({ source: "agent" }), /source must be one of web_form, event_registration/],
      [form({ inboxId: "nope" }), /inboxId must be a UUID/],
      [form({ occurredAt: "yesterday" }), /occurredAt must be an ISO 8601/],
      [form({ occurredAt: "2999-01-01T00:00:00Z" }), /occurredAt is in the future/],
    ] as const) {
      const response = await post(body);
      expect(response.status).toBe(400);
      const payload = (await response.json()) as { error: { message: string } };
      expect(payload.error.message).toMatch(words);
    }
    const notJson = await POST(
      new Request("http://localhost:3000/api/v1/consents", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: "{",
      }),
      undefined,
    );
    expect(notJson.status).toBe(400);
    expect((await db.select().from(consentEvents)).length).toBe(before);
  });

  it("answers 404 for an inbox the token's owner is not a member of, and 401 without credentials", async () => {
    const elsewhere = await post(form({ inboxId: other.id }));
    expect(elsewhere.status).toBe(404);
    const anonymous = await post(form(), {});
    expect(anonymous.status).toBe(401);
    const badToken = await post(form(), { bearer: "prl_not-a-real-token" });
    expect(badToken.status).toBe(401);
    const created = await database().handle.db.select().from(contacts).where(eq(contacts.inboxId, other.id));
    expect(created).toEqual([]);
  });
});
