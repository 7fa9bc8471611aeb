import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, PUT } from "@/app/api/v1/inboxes/[id]/consent-settings/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { auditLog, consentEvents, contacts, type Inbox } from "@/lib/db/schema";
import { setupTestDatabase } from "../../support/db";
import { apiRequest, createAccount, params, sessionCookie, type TestAccount } from "../../support/auth";
import { createInbox } from "../../support/factories";
import { postWebhook, textWebhook } from "../../support/whatsapp";

const database = setupTestDatabase();
const PHONE_NUMBER_ID = "1500000209";
let inbox: Inbox;
let admin: TestAccount;
let supervisor: TestAccount;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inbox = await createInbox(db, { phoneNumberId: PHONE_NUMBER_ID });
  admin = await createAccount(db, { role: "admin", inboxIds: [inbox.id] });
  supervisor = await createAccount(db, { role: "supervisor", inboxIds: [inbox.id] });
});

afterAll(() => clearDatabaseHandle());

const settings = (overrides: Record<string, unknown> = {}) => ({
  extraOptOutKeywords: ["BASTA", "basta", "Не пишите"],
  extraOptInKeywords: ["AVANTI"],
  optOutConfirmation: "Done: we will not write again. Reply AVANTI to hear from us.",
  optInConfirmation: "Welcome back.",
  sendConfirmations: true,
  ...overrides,
});

async function put(account: TestAccount, body: unknown, id = inbox.id) {
  const cookie = await sessionCookie(account);
  return PUT(
    apiRequest(`/api/v1/inboxes/${id}/consent-settings`, { method: "PUT", cookie, body }),
    params({ id }),
  );
}

async function get(account: TestAccount, id = inbox.id) {
  const cookie = await sessionCookie(account);
  return GET(apiRequest(`/api/v1/inboxes/${id}/consent-settings`, { cookie }), params({ id }));
}

describe("/api/v1/inboxes/:id/consent-settings", () => {
  it("shows the defaults, then saves an admin's keywords (without repeats) and texts, audited", async () => {
    const initial = await get(admin);
    expect(initial.status).toBe(200);
    expect(await initial.json()).toMatchObject({
      extraOptOutKeywords: [],
      optOutConfirmation: expect.stringMatching(/unsubscribed/) as unknown,
    });

    const saved = await put(admin, settings());
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ extraOptOutKeywords: ["BASTA", "Не пишите"] });
    expect(await (await get(admin)).json()).toMatchObject({
      extraOptOutKeywords: ["BASTA", "Не пишите"],
      extraOptInKeywords: ["AVANTI"],
      optInConfirmation: "Welcome back.",
    });
    const audit = await database()
      .handle.db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "inbox.consent_settings_updated"), eq(auditLog.targetId, inbox.id)));
    expect(audit).toMatchObject([
      { actorId: admin.id, details: { after: { extraOptInKeywords: ["AVANTI"] } } },
    ]);
  });

  it("makes the webhook ingest treat the inbox's own keyword as an opt-out", async () => {
    await put(admin, settings());
    const response = await postWebhook(
      textWebhook({
        phoneNumberId: PHONE_NUMBER_ID,
        wamid: "wamid.settings.basta",
        from: "15550209001",
        body: "Basta!",
        timestamp: Math.floor(Date.now() / 1000) - 1,
      }),
    );
    expect(response.status).toBe(200);
    const { db } = database().handle;
    const [contact] = await db.select().from(contacts).where(eq(contacts.waId, "15550209001"));
    const events = await db
      .select()
      .from(consentEvents)
      .where(eq(consentEvents.contactId, contact?.id ?? ""));
    expect(events.map((event) => [event.purpose, event.action, event.source]).sort()).toEqual([
      ["marketing", "opt_out", "inbound_keyword"],
      ["service", "opt_out", "inbound_keyword"],
    ]);
  });

  it("refuses empty, overlong and mistyped values with readable 400s", async () => {
    for (const [body, words] of [
      [settings({ extraOptOutKeywords: [" "] }), /opt-out keyword may not be empty/],
      [settings({ extraOptInKeywords: ["x".repeat(41)] }), /at most 40 characters/],
      [settings({ extraOptOutKeywords: "STOP" }), /must be a list/],
      [settings({ optOutConfirmation: "" }), /optOutConfirmation may not be empty/],
      [settings({ sendConfirmations: "yes" }), /sendConfirmations must be true or false/],
      [settings({ surprise: 1 }), /surprise/],
    ] as const) {
      const response = await put(admin, body);
      expect(response.status).toBe(400);
      const payload = (await response.json()) as { error: { message: string } };
      expect(payload.error.message).toMatch(words);
    }
  });

  it("is for admins only (403 to a supervisor) and answers 404 for an unknown inbox", async () => {
    expect((await get(supervisor)).status).toBe(403);
    expect((await put(supervisor, settings())).status).toBe(403);
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await get(admin, unknown)).status).toBe(404);
    expect((await put(admin, settings(), unknown)).status).toBe(404);
  });
});
