import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { queryRows } from "@/lib/db/raw";
import {
  auditLog,
  consentEvents,
  contacts,
  conversations,
  dataRequests,
  messages,
  slaEvents,
  type Inbox,
  type User,
} from "@/lib/db/schema";
import { correctContact, eraseContact, exportContact, getContact } from "@/lib/domain/contacts";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/domain/errors";
import { recordContactConsent } from "@/lib/domain/consents";
import { addNote } from "@/lib/domain/conversations";
import { updatePrivacySettings } from "@/lib/domain/privacy";
import { reviewBreach } from "@/lib/domain/sla";
import { markBreaches } from "@/lib/domain/sla/breaches";
import { setupTestDatabase } from "../../../support/db";
import { actorFor, addMember, createInbox, createUser, ctxFor } from "../../../support/factories";
import { postWebhook, samplePhoneNumberId, textWebhook } from "../../../support/whatsapp";

const database = setupTestDatabase();
const now = new Date("2026-11-20T12:00:00.000Z");

let inbox: Inbox;
let admin: User;
let supervisor: User;
let agent: User;

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  const { db } = database().handle;
  inbox = await createInbox(db, { phoneNumberId: samplePhoneNumberId });
  admin = await createUser(db, { role: "admin", name: "Ada Admin" });
  supervisor = await createUser(db, { role: "supervisor", name: "Sam Supervisor" });
  agent = await createUser(db, { role: "agent", name: "Alex Agent" });
  for (const user of [admin, supervisor, agent]) await addMember(db, inbox.id, user.id);
});
afterAll(() => clearDatabaseHandle());

const as = (user: User) => ctxFor(database().handle.db, actorFor(user), now);

let sequence = 0;
/** A customer who wrote through the real webhook route (so raw events and all derived rows exist). */
async function customerWho(wrote: string[], { name, waId }: { name: string; waId: string }) {
  for (const body of wrote) {
    sequence += 1;
    const response = await postWebhook(
      textWebhook({
        wamid: `wamid.rights.${sequence}`,
        from: waId,
        name,
        body,
        timestamp: 1_763_000_000 + sequence,
      }),
    );
    expect(response.status).toBe(200);
  }
  const { db } = database().handle;
  const [contact] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.inboxId, inbox.id), eq(contacts.waId, waId)));
  if (!contact) throw new Error("contact not stored");
  const [conversation] = await db.select().from(conversations).where(eq(conversations.contactId, contact.id));
  if (!conversation) throw new Error("conversation not stored");
  return { contact, conversation };
}

/** Every text-like column of every table, searched for the needle. */
async function tablesContaining(needle: string): Promise<string[]> {
  const { db } = database().handle;
  const columns = await queryRows<{ table_name: string; column_name: string }>(
    db,
    sql`select table_name, column_name from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'jsonb', 'json', 'character varying')`,
  );
  expect(columns.length).toBeGreaterThan(40);
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const [first] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${sql.identifier(table_name)} where ${sql.identifier(column_name)}::text ilike ${`%${needle}%`}`,
    );
    if ((first?.n ?? 0) > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

describe("contact details and corrections", () => {
  it("shows details and audits every opening", async () => {
    const { contact } = await customerWho(["Hello there"], { name: "Viewer Vera", waId: "15557770001" });
    const detail = await getContact({ ctx: as(agent), input: { contactId: contact.id } });
    expect(detail).toMatchObject({
      conversationCount: 1,
      messageCount: 1,
      can: { correct: true, export: false, erase: false },
    });
    const audits = await database()
      .handle.db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "contact.viewed"), eq(auditLog.targetId, contact.id)));
    expect(audits).toEqual([expect.objectContaining({ actorId: agent.id })]);
  });

  it("corrects the name and phone, audited with before and after, recorded as a request", async () => {
    const { contact } = await customerWho(["Hi"], { name: "Wrong Name", waId: "15557770002" });
    const updated = await correctContact({
      ctx: as(agent),
      input: {
        contactId: contact.id,
        profileName: "Right Name",
        phone: "+1 (555) 777-0009",
        reason: "Customer asked",
      },
    });
    expect(updated).toMatchObject({ profileName: "Right Name", phone: "+15557770009", waId: "15557770002" });
    const [audit] = await database()
      .handle.db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "contact.corrected"), eq(auditLog.targetId, contact.id)));
    expect(audit?.details).toEqual({
      fields: ["profileName", "phone"],
      before: { profileName: "Wrong Name", phone: "+15557770002" },
      after: { profileName: "Right Name", phone: "+15557770009" },
    });
    const requests = await database()
      .handle.db.select()
      .from(dataRequests)
      .where(eq(dataRequests.contactId, contact.id));
    expect(requests).toEqual([
      expect.objectContaining({ kind: "correction", reason: "Customer asked", actorId: agent.id }),
    ]);
  });

  it("refuses bad input with readable messages", async () => {
    const { contact } = await customerWho(["Hi"], { name: "Bad Input", waId: "15557770003" });
    await expect(correctContact({ ctx: as(agent), input: { contactId: contact.id } })).rejects.toThrow(
      /profileName or phone/,
    );
    await expect(
      correctContact({ ctx: as(agent), input: { contactId: contact.id, phone: "8 912 345-67-89" } }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(getContact({ ctx: as(agent), input: { contactId: "nope" } })).rejects.toThrow(
      /contactId must be a UUID/,
    );
    await expect(
      getContact({ ctx: as(agent), input: { contactId: "00000000-0000-4000-8000-000000000000" } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("export", () => {
  it("holds everything about the contact and nothing of other contacts; recorded and audited", async () => {
    const { contact, conversation } = await customerWho(["Where is parcel AX-1?", "It was due Monday"], {
      name: "Export Erin",
      waId: "15557770010",
    });
    await addNote({
      ctx: as(agent),
      input: { conversationId: conversation.id, body: "Erin prefers mornings" },
    });
    await recordContactConsent({
      ctx: as(agent),
      input: {
        contactId: contact.id,
        purpose: "marketing",
        action: "opt_in",
        evidence: "Erin said yes to offers on the phone",
      },
    });
    const olga = await customerWho(["Other customer's secret plan"], {
      name: "Other Olga",
      waId: "15557770011",
    });
    await recordContactConsent({
      ctx: as(agent),
      input: {
        contactId: olga.contact.id,
        purpose: "marketing",
        action: "opt_in",
        evidence: "Olga ticked the box",
      },
    });

    const file = await exportContact({
      ctx: as(supervisor),
      input: { contactId: contact.id, format: "json" },
    });
    expect(file.contentType).toMatch(/application\/json/);
    const document = JSON.parse(file.body) as Record<string, Record<string, unknown>[]>;
    expect(document.profile).toEqual([
      expect.objectContaining({ profileName: "Export Erin", waId: "15557770010" }),
    ]);
    expect(document.conversations).toHaveLength(1);
    expect(document.messages?.map((row) => row.body)).toEqual(["Where is parcel AX-1?", "It was due Monday"]);
    expect(document.notes?.map((row) => row.body)).toEqual(["Erin prefers mornings"]);
    expect(document.media).toEqual([]);
    expect(document.consentHistory).toEqual([
      expect.objectContaining({
        purpose: "marketing",
        action: "opt_in",
        evidence: "Erin said yes to offers on the phone",
      }),
    ]);
    expect(file.body).not.toContain("Olga");
    expect(file.body).not.toContain("secret plan");
    expect(file.body).not.toContain("15557770011");

    const html = await exportContact({ ctx: as(admin), input: { contactId: contact.id, format: "html" } });
    expect(html.body).toContain("Where is parcel AX-1?");
    expect(html.body).toContain("<h2>Notes by the support team</h2>");
    expect(html.body).not.toContain("Olga");

    const requests = await database()
      .handle.db.select()
      .from(dataRequests)
      .where(eq(dataRequests.contactId, contact.id));
    expect(requests.map((row) => row.kind)).toEqual(["export", "export"]);
    const audits = await database()
      .handle.db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "contact.exported"), eq(auditLog.targetId, contact.id)));
    expect(audits).toHaveLength(2);
  });

  it("escapes what customers wrote in the HTML export", async () => {
    const { contact } = await customerWho(["<script>alert(1)</script>"], {
      name: "<b>Mallory</b>",
      waId: "15557770012",
    });
    const html = await exportContact({ ctx: as(admin), input: { contactId: contact.id, format: "html" } });
    expect(html.body).not.toContain("<script>alert(1)");
    expect(html.body).toContain("&#60;script&#62;");
  });

  it("is refused to agents (403) and for an unknown format (400)", async () => {
    const { contact } = await customerWho(["Hi"], { name: "Perm Pat", waId: "15557770013" });
    await expect(exportContact({ ctx: as(agent), input: { contactId: contact.id } })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      exportContact({ ctx: as(admin), input: { contactId: contact.id, format: "pdf" as "json" } }),
    ).rejects.toThrow(/format must be json or html/);
  });
});

describe("erasure", () => {
  it("leaves no personal data in any table, keeps counts and timestamps, and is recorded", async () => {
    const { db } = database().handle;
    await updatePrivacySettings({ ctx: as(admin), input: { keepMaskedOriginals: true } });
    const name = "Erasmus Quixote";
    const waId = "15557770020";
    const texts = ["My flat is at 12 Zanzibar Lane", "Card 4111 1111 1111 1111 for the refund"];
    const { contact, conversation } = await customerWho(texts, { name, waId });
    await addNote({
      ctx: as(agent),
      input: { conversationId: conversation.id, body: "Quixote sounded upset" },
    });
    await recordContactConsent({
      ctx: as(agent),
      input: {
        contactId: contact.id,
        purpose: "marketing",
        action: "opt_in",
        evidence: "Quixote agreed to offers by phone",
      },
    });
    await correctContact({ ctx: as(agent), input: { contactId: contact.id, profileName: `${name} Jr` } });
    // The reply came too late; the supervisor's review note names the customer.
    await db.transaction((tx) => markBreaches(tx, { now }));
    const [clock] = await db.select().from(slaEvents).where(eq(slaEvents.conversationId, conversation.id));
    if (!clock?.breachedAt) throw new Error("the customer's response clock did not breach");
    await reviewBreach({
      ctx: as(supervisor),
      input: {
        slaEventId: clock.id,
        reason: "customer_delay",
        note: "Mr Quixote kept us waiting for photos",
      },
    });
    const bystander = await customerWho(["Bystander text stays"], {
      name: "Bystander Bea",
      waId: "15557770021",
    });
    const before = await db.select().from(messages).where(eq(messages.conversationId, conversation.id));

    // The needles are really there before.
    expect(await tablesContaining("Zanzibar")).not.toEqual([]);
    expect((await tablesContaining("kept us waiting")).sort()).toEqual([
      "audit_log.details",
      "sla_events.review_note",
    ]);
    // The card number itself was masked at ingest: only the kept original holds it.
    expect((await tablesContaining("4111 1111 1111 1111")).sort()).toEqual([
      "message_originals.body",
      "message_originals.payload",
    ]);

    const outcome = await eraseContact({
      ctx: as(admin),
      input: { contactId: contact.id, confirmation: "ERASE", reason: "Request by email, ticket 42" },
    });
    expect(outcome.contact).toMatchObject({ profileName: null, phone: null, waId: null, anonymizedAt: now });

    for (const needle of [
      name,
      "Quixote",
      waId,
      "+15557770020",
      "Zanzibar",
      "4111 1111",
      "Quixote sounded upset",
      "kept us waiting",
    ]) {
      expect({ needle, tables: await tablesContaining(needle) }).toEqual({ needle, tables: [] });
    }
    // Counts and timestamps stay for reports.
    const after = await db.select().from(messages).where(eq(messages.conversationId, conversation.id));
    expect(after).toHaveLength(before.length);
    expect(after.map((row) => row.createdAt)).toEqual(before.map((row) => row.createdAt));
    expect(after.every((row) => row.body === null && row.redactedAt?.getTime() === now.getTime())).toBe(true);
    // The consent ledger keeps the proof that it happened, without the customer's words.
    const ledger = await db.select().from(consentEvents).where(eq(consentEvents.contactId, contact.id));
    expect(ledger.length).toBeGreaterThan(0);
    expect(
      ledger.every((row) => row.evidence === null && row.evidenceRedactedAt?.getTime() === now.getTime()),
    ).toBe(true);
    // The review itself stays for reports: who, when and why, without the note.
    const [reviewed] = await db.select().from(slaEvents).where(eq(slaEvents.id, clock.id));
    expect(reviewed).toMatchObject({
      reviewReason: "customer_delay",
      reviewNote: null,
      reviewedBy: supervisor.id,
    });
    // Nothing of the bystander went.
    expect(await tablesContaining("Bystander text stays")).toContain("messages.body");
    const [stillThere] = await db.select().from(contacts).where(eq(contacts.id, bystander.contact.id));
    expect(stillThere?.profileName).toBe("Bystander Bea");

    const [request] = await db
      .select()
      .from(dataRequests)
      .where(and(eq(dataRequests.contactId, contact.id), eq(dataRequests.kind, "erasure")));
    expect(request).toMatchObject({ actorId: admin.id, reason: "Request by email, ticket 42" });

    // A second erasure is a clear conflict and changes nothing.
    await expect(
      eraseContact({
        ctx: as(admin),
        input: { contactId: contact.id, confirmation: "ERASE", reason: "again" },
      }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("lets only one of two simultaneous erasures through; the other is a conflict", async () => {
    const { contact } = await customerWho(["Hi"], { name: "Twice Tom", waId: "15557770040" });
    const input = { contactId: contact.id, confirmation: "ERASE" as const, reason: "asked twice" };
    const outcomes = await Promise.allSettled([
      eraseContact({ ctx: as(admin), input }),
      eraseContact({ ctx: as(admin), input }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected");
    expect(rejected?.status === "rejected" ? rejected.reason : undefined).toBeInstanceOf(ConflictError);
    const erasures = await database()
      .handle.db.select()
      .from(dataRequests)
      .where(and(eq(dataRequests.contactId, contact.id), eq(dataRequests.kind, "erasure")));
    expect(erasures).toHaveLength(1);
  });

  it("needs the typed confirmation and a reason, and the permission", async () => {
    const { contact } = await customerWho(["Hi"], { name: "Careful Cat", waId: "15557770030" });
    await expect(
      eraseContact({
        ctx: as(admin),
        input: { contactId: contact.id, confirmation: "erase" as "ERASE", reason: "asked" },
      }),
    ).rejects.toThrow(/Type ERASE to confirm/);
    await expect(
      eraseContact({ ctx: as(admin), input: { contactId: contact.id, confirmation: "ERASE", reason: " " } }),
    ).rejects.toThrow(/reason is required/);
    for (const user of [agent, supervisor]) {
      await expect(
        eraseContact({
          ctx: as(user),
          input: { contactId: contact.id, confirmation: "ERASE", reason: "asked" },
        }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    const [unchanged] = await database().handle.db.select().from(contacts).where(eq(contacts.id, contact.id));
    expect(unchanged?.anonymizedAt).toBeNull();
  });
});
