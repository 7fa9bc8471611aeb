import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/v1/contacts/[id]/consents/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { auditLog, inboxConsentSettings, type Contact } from "@/lib/db/schema";
import { setupTestDatabase } from "../../support/db";
import { apiRequest, createAccount, params, sessionCookie, type TestAccount } from "../../support/auth";
import { createContact, createInbox } from "../../support/factories";

const database = setupTestDatabase();
let agent: TestAccount;
let outsider: TestAccount;
let contact: Contact;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  const inbox = await createInbox(db);
  const other = await createInbox(db);
  agent = await createAccount(db, { inboxIds: [inbox.id], name: "Dana" });
  outsider = await createAccount(db, { inboxIds: [other.id] });
  contact = await createContact(db, inbox.id);
  await db
    .insert(inboxConsentSettings)
    .values({ inboxId: inbox.id, extraOptOutKeywords: ["BASTA"], extraOptInKeywords: ["ALLONS"] });
});

afterAll(() => clearDatabaseHandle());

async function post(account: TestAccount, body: unknown, id = contact.id) {
  const cookie = await sessionCookie(account);
  return POST(
    apiRequest(`/api/v1/contacts/${id}/consents`, { method: "POST", cookie, body }),
    params({ id }),
  );
}

describe("/api/v1/contacts/:id/consents", () => {
  it("records an agent's opt-in with its evidence, shows it in the history, and audits it", async () => {
    const response = await post(agent, {
      purpose: "marketing",
      action: "opt_in",
      evidence: "Customer asked on the phone on 20 Nov to receive offers.",
    });
    expect(response.status).toBe(201);
    const cookie = await sessionCookie(agent);
    const listed = await GET(
      apiRequest(`/api/v1/contacts/${contact.id}/consents`, { cookie }),
      params({ id: contact.id }),
    );
    expect(await listed.json()).toMatchObject({
      consent: { marketing: { state: "opted_in", source: "agent" }, service: { state: "unknown" } },
      history: [{ purpose: "marketing", action: "opt_in", source: "agent", recordedByName: "Dana" }],
    });
    const audit = await database()
      .handle.db.select()
      .from(auditLog)
      .where(eq(auditLog.action, "consent.recorded"));
    expect(audit).toMatchObject([{ actorId: agent.id, targetId: contact.id }]);
  });

  it("records the source the agent names (a paper sign-up sheet) instead of the default", async () => {
    const response = await post(agent, {
      purpose: "service",
      action: "opt_in",
      source: "event_registration",
      evidence: "Signed the WhatsApp updates box on the Home Fair sheet, 21 Nov.",
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      consent: { service: { state: "opted_in", source: "event_registration" } },
    });
  });

  it("refuses an opt-in without evidence, unknown values and malformed ids with readable 400s", async () => {
    for (const [body, words] of [
      [{ purpose: "marketing", action: "opt_in" }, /evidence is required/],
      [{ purpose: "marketing", action: "opt_in", evidence: "   " }, /evidence is required/],
      [{ purpose: "spam", action: "opt_in", evidence: "x" }, /purpose must be service or marketing/],
      [{ purpose: "service", action: "maybe", evidence: "x" }, /action must be opt_in or opt_out/],
      [
        { purpose: "service", action: "opt_in", source: "inbound_keyword", evidence: "x" },
        /source must be agent, web_form or event_registration/,
      ],
    ] as const) {
      const response = await post(agent, body);
      expect(response.status).toBe(400);
      const payload = (await response.json()) as { error: { message: string } };
      expect(payload.error.message).toMatch(words);
    }
    const badId = await post(agent, { purpose: "service", action: "opt_in", evidence: "x" }, "not-a-uuid");
    expect(badId.status).toBe(400);
  });

  it("lists the inbox's own STOP/START keywords, which the composer matches like the ingest", async () => {
    const cookie = await sessionCookie(agent);
    const listed = await GET(
      apiRequest(`/api/v1/contacts/${contact.id}/consents`, { cookie }),
      params({ id: contact.id }),
    );
    expect(await listed.json()).toMatchObject({
      inboxKeywords: { extraOptOut: ["BASTA"], extraOptIn: ["ALLONS"] },
    });
  });

  it("answers 404 to someone outside the contact's inboxes", async () => {
    const response = await post(outsider, { purpose: "service", action: "opt_in", evidence: "x" });
    expect(response.status).toBe(404);
    const cookie = await sessionCookie(outsider);
    const listed = await GET(
      apiRequest(`/api/v1/contacts/${contact.id}/consents`, { cookie }),
      params({ id: contact.id }),
    );
    expect(listed.status).toBe(404);
  });
});
