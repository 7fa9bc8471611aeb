import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/consents/import/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { auditLog, consentEvents, contacts, type Inbox } from "@/lib/db/schema";
import { setupTestDatabase } from "../../support/db";
import { baseUrl, createAccount, sessionCookie, type TestAccount } from "../../support/auth";
import { createContact, createInbox } from "../../support/factories";

const database = setupTestDatabase();
let inbox: Inbox;
let other: Inbox;
let supervisor: TestAccount;
let agent: TestAccount;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inbox = await createInbox(db);
  other = await createInbox(db);
  supervisor = await createAccount(db, { role: "supervisor", inboxIds: [inbox.id] });
  agent = await createAccount(db, { inboxIds: [inbox.id] });
});

afterAll(() => clearDatabaseHandle());

async function upload(account: TestAccount, file: BlobPart, inboxId = inbox.id) {
  const form = new FormData();
  form.set("inboxId", inboxId);
  form.set("file", new Blob([file], { type: "text/csv" }), "consents.csv");
  const cookie = await sessionCookie(account);
  return POST(
    new Request(`${baseUrl}/api/v1/consents/import`, { method: "POST", headers: { cookie }, body: form }),
    undefined,
  );
}

async function eventCount() {
  return (await database().handle.db.select().from(consentEvents)).length;
}

describe("POST /api/v1/consents/import", () => {
  it("records the valid rows together, reports the others per row, and counts both", async () => {
    const existing = await createContact(database().handle.db, inbox.id, { waId: "4915123456789" });
    const csv = [
      "phone,purpose,action,evidence,recorded_at",
      "+7 912 345-67-89,marketing,opt_in,Ticked the box at the fair,2026-10-01",
      "4915123456789,service,opt_out,,2026-10-02T09:00:00Z",
      "8 912 345-67-89,marketing,opt_in,x,",
      "+7 912 345-67-90,marketing,maybe,x,",
    ].join("\n");
    const response = await upload(supervisor, csv);
    expect(response.status).toBe(200);
    const summary = (await response.json()) as { errors: { row: number; column: string }[] };
    expect(summary).toMatchObject({ recorded: 2, contactsCreated: 1, rejectedRows: 2 });
    expect(summary.errors.map((error) => [error.row, error.column])).toEqual([
      [4, "phone"],
      [5, "action"],
    ]);
    const { db } = database().handle;
    const events = await db.select().from(consentEvents).where(eq(consentEvents.contactId, existing.id));
    expect(events).toMatchObject([
      { purpose: "service", action: "opt_out", source: "import", recordedBy: supervisor.id },
    ]);
    const [created] = await db.select().from(contacts).where(eq(contacts.waId, "79123456789"));
    expect(created?.inboxId).toBe(inbox.id);
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, "consent.imported"));
    expect(audit).toMatchObject([{ actorId: supervisor.id, details: { recorded: 2, rejectedRows: 2 } }]);
  });

  it("accepts a bare text/csv body with the inbox in the query string", async () => {
    const cookie = await sessionCookie(supervisor);
    const response = await POST(
      new Request(`${baseUrl}/api/v1/consents/import?inboxId=${inbox.id}`, {
        method: "POST",
        headers: { cookie, "content-type": "text/csv; charset=utf-8" },
        body: "wa_id;purpose;action;evidence\n15550209111;service;opt_in;Signed the paper form\n",
      }),
      undefined,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ recorded: 1, errors: [] });
  });

  it("refuses a file with no valid rows, no header, the wrong encoding or no file, writing nothing", async () => {
    const before = await eventCount();
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode("phone,purpose,action,evidence\n+79123456789,service,opt_in,Caf"),
      0xe9,
    ]);
    for (const [file, words] of [
      ["phone,purpose,action\n8 912,marketing,opt_in\n", /Nothing was imported/],
      ["+79123456789,service,opt_in\n", /The header has no/],
      ["", /Choose a CSV file/],
      [latin1, /not UTF-8/],
    ] as const) {
      const response = await upload(supervisor, file);
      expect(response.status).toBe(400);
      const payload = (await response.json()) as { error: { message: string } };
      expect(payload.error.message).toMatch(words);
    }
    const noRows = await upload(supervisor, "phone,purpose,action\n8 912,marketing,opt_in\n");
    expect(await noRows.json()).toMatchObject({
      error: {
        details: {
          errors: [
            { row: 2, column: "phone" },
            { row: 2, column: "evidence" },
          ],
        },
      },
    });
    expect(await eventCount()).toBe(before);
  });

  it("refuses agents (403), other inboxes (404), a missing inbox (400) and oversized files (413)", async () => {
    const csv = "phone,purpose,action,evidence\n+79123456789,service,opt_in,x\n";
    expect((await upload(agent, csv)).status).toBe(403);
    expect((await upload(supervisor, csv, other.id)).status).toBe(404);
    expect((await upload(supervisor, csv, "")).status).toBe(400);
    const huge = `phone,purpose,action,evidence\n${"+79123456789,service,opt_in,x\n".repeat(200_000)}`;
    expect((await upload(supervisor, huge)).status).toBe(413);
  });
});
