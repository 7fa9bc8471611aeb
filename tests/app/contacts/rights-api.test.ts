import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as privacyGet, PUT as privacyPut } from "@/app/api/v1/admin/privacy/route";
import { POST as runNow } from "@/app/api/v1/admin/privacy/retention-runs/route";
import { POST as eraseRoute } from "@/app/api/v1/contacts/[id]/erase/route";
import { GET as exportRoute } from "@/app/api/v1/contacts/[id]/export/route";
import { GET as contactGet, PATCH as contactPatch } from "@/app/api/v1/contacts/[id]/route";
import { POST as sendRoute } from "@/app/api/v1/conversations/[id]/messages/route";
import { GET as originalRoute } from "@/app/api/v1/messages/[messageId]/original/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { contacts, dataRequests } from "@/lib/db/schema";
import { setupTestDatabase } from "../../support/db";
import { createContact, createConversation, createInbox, createMessage } from "../../support/factories";
import { apiRequest, createAccount, params, sessionCookie } from "../../support/auth";

const database = setupTestDatabase();
let adminCookie: string;
let supervisorCookie: string;
let agentCookie: string;
let inboxId: string;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inboxId = (await createInbox(db, { name: "Support" })).id;
  adminCookie = await sessionCookie(await createAccount(db, { role: "admin", inboxIds: [inboxId] }));
  supervisorCookie = await sessionCookie(await createAccount(db, { role: "supervisor", inboxIds: [inboxId] }));
  agentCookie = await sessionCookie(await createAccount(db, { role: "agent", inboxIds: [inboxId] }));
});
afterAll(() => clearDatabaseHandle());

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };
const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

describe("data rights over HTTP", () => {
  it("lets agents open and correct, not export or erase (403); supervisors export but do not erase", async () => {
    const { db } = database().handle;
    const contact = await createContact(db, inboxId, { profileName: "Http Harriet" });
    const id = contact.id;
    expect((await contactGet(apiRequest(`/api/v1/contacts/${id}`, { cookie: agentCookie }), params({ id }))).status).toBe(200);
    const patched = await contactPatch(
      apiRequest(`/api/v1/contacts/${id}`, { method: "PATCH", cookie: agentCookie, body: { profileName: "Harriet H" } }),
      params({ id }),
    );
    expect(patched.status).toBe(200);

    const agentExport = await exportRoute(apiRequest(`/api/v1/contacts/${id}/export`, { cookie: agentCookie }), params({ id }));
    expect(agentExport.status).toBe(403);
    const agentErase = await eraseRoute(
      apiRequest(`/api/v1/contacts/${id}/erase`, { method: "POST", cookie: agentCookie, body: { confirmation: "ERASE", reason: "asked" } }),
      params({ id }),
    );
    expect(agentErase.status).toBe(403);
    const supervisorErase = await eraseRoute(
      apiRequest(`/api/v1/contacts/${id}/erase`, {
        method: "POST",
        cookie: supervisorCookie,
        body: { confirmation: "ERASE", reason: "asked" },
      }),
      params({ id }),
    );
    expect(supervisorErase.status).toBe(403);

    const exported = await exportRoute(
      apiRequest(`/api/v1/contacts/${id}/export?format=html`, { cookie: supervisorCookie }),
      params({ id }),
    );
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/text\/html/);
    expect(exported.headers.get("content-disposition")).toMatch(/^attachment; filename="contact-/);
    expect(await exported.text()).toContain("Harriet H");

    const [stillThere] = await db.select().from(contacts).where(eq(contacts.id, id));
    expect(stillThere?.anonymizedAt).toBeNull();
  });

  it("answers bad input with 400, unknown contacts with 404 and a second erasure with 409", async () => {
    const { db } = database().handle;
    const contact = await createContact(db, inboxId);
    const id = contact.id;
    const notJson = await eraseRoute(
      new Request(`http://localhost:3000/api/v1/contacts/${id}/erase`, {
        method: "POST",
        headers: { cookie: adminCookie, "content-type": "application/json" },
        body: "{nope",
      }),
      params({ id }),
    );
    expect(notJson.status).toBe(400);
    const noWord = await eraseRoute(
      apiRequest(`/api/v1/contacts/${id}/erase`, { method: "POST", cookie: adminCookie, body: { reason: "asked" } }),
      params({ id }),
    );
    expect(noWord.status).toBe(400);
    expect((await errorOf(noWord)).message).toMatch(/Type ERASE to confirm/);
    const unknown = "00000000-0000-4000-8000-000000000000";
    const missing = await contactGet(apiRequest(`/api/v1/contacts/${unknown}`, { cookie: adminCookie }), params({ id: unknown }));
    expect(missing.status).toBe(404);

    const body = { confirmation: "ERASE", reason: "Customer's request" };
    const first = await eraseRoute(apiRequest(`/api/v1/contacts/${id}/erase`, { method: "POST", cookie: adminCookie, body }), params({ id }));
    expect(first.status).toBe(200);
    const second = await eraseRoute(apiRequest(`/api/v1/contacts/${id}/erase`, { method: "POST", cookie: adminCookie, body }), params({ id }));
    expect(second.status).toBe(409);
    expect((await errorOf(second)).message).toMatch(/already erased/);
    const erasures = await db.select().from(dataRequests).where(eq(dataRequests.contactId, id));
    expect(erasures.filter((row) => row.kind === "erasure")).toHaveLength(1);
  });

  it("refuses a reply asking for a PIN with 422 and the guard's details; confirmSensitive sends it", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inboxId, { windowExpiresAt: new Date(Date.now() + 3_600_000) });
    const path = `/api/v1/conversations/${conversation.id}/messages`;
    const refused = await sendRoute(
      apiRequest(path, { method: "POST", cookie: agentCookie, body: { type: "text", body: "What's your card PIN?" } }),
      params({ id: conversation.id }),
    );
    expect(refused.status).toBe(422);
    const error = await errorOf(refused);
    expect(error).toMatchObject({ code: "policy_blocked", details: { reason: "sensitive_request", kinds: ["pin"] } });
    const sent = await sendRoute(
      apiRequest(path, {
        method: "POST",
        cookie: agentCookie,
        body: { type: "text", body: "What's your card PIN?", confirmSensitive: true },
      }),
      params({ id: conversation.id }),
    );
    expect(sent.status).toBe(201);
  });

  it("keeps privacy settings and the original reveal to admins", async () => {
    const { db } = database().handle;
    expect((await privacyGet(apiRequest("/api/v1/admin/privacy", { cookie: supervisorCookie }), undefined)).status).toBe(403);
    const bad = await privacyPut(
      apiRequest("/api/v1/admin/privacy", { method: "PUT", cookie: adminCookie, body: { retentionDays: -5 } }),
      undefined,
    );
    expect(bad.status).toBe(400);
    const unknownField = await privacyPut(
      apiRequest("/api/v1/admin/privacy", { method: "PUT", cookie: adminCookie, body: { keepForever: true } }),
      undefined,
    );
    expect(unknownField.status).toBe(400);
    const saved = await privacyPut(
      apiRequest("/api/v1/admin/privacy", { method: "PUT", cookie: adminCookie, body: { retentionDays: 365 } }),
      undefined,
    );
    expect(saved.status).toBe(200);
    const run = await runNow(
      apiRequest("/api/v1/admin/privacy/retention-runs", { method: "POST", cookie: adminCookie }),
      undefined,
    );
    expect(run.status).toBe(201);

    const conversation = await createConversation(db, inboxId);
    const message = await createMessage(db, conversation);
    const messageId = message.id;
    const agentReveal = await originalRoute(
      apiRequest(`/api/v1/messages/${messageId}/original`, { cookie: agentCookie }),
      params({ messageId }),
    );
    expect(agentReveal.status).toBe(403);
    const none = await originalRoute(
      apiRequest(`/api/v1/messages/${messageId}/original`, { cookie: adminCookie }),
      params({ messageId }),
    );
    expect(none.status).toBe(404);
  });
});
