import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { conversations, slaEvents, type Inbox, type User } from "@/lib/db/schema";
import { addNote } from "@/lib/domain/conversations";
import { sendMessage } from "@/lib/domain/messages";
import { setupTestDatabase } from "../../../support/db";
import { actorFor, addMember, createInbox, createUser, ctxFor } from "../../../support/factories";
import { postWebhook, samplePhoneNumberId, textWebhook } from "../../../support/whatsapp";

const database = setupTestDatabase();
// Monday 16 November 2026, 10:00 UTC; the inbox keeps the default Mon–Fri 09:00–18:00 in UTC.
const arrival = new Date("2026-11-16T10:00:00.000Z");

let inbox: Inbox;
let agent: User;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inbox = await createInbox(db, { phoneNumberId: samplePhoneNumberId, timeZone: "UTC" });
  agent = await createUser(db, { name: "Dana" });
  await addMember(db, inbox.id, agent.id);
});

afterAll(() => clearDatabaseHandle());

describe("the response clock on the real message paths", () => {
  it("starts when a customer's webhook arrives, ignores notes, and is met by the agent's reply", async () => {
    const { db } = database().handle;
    const response = await postWebhook(
      textWebhook({
        wamid: "wamid.sla.1",
        from: "15550001111",
        body: "Is my order shipped?",
        timestamp: arrival.getTime() / 1000,
      }),
    );
    expect(response.status).toBe(200);

    const [started] = await db.select().from(conversations).where(eq(conversations.inboxId, inbox.id));
    // 24 business hours from Monday 10:00: Monday 8 h, Tuesday 9 h, Wednesday 7 h → Wednesday 16:00.
    expect(started).toMatchObject({
      slaKind: "first_response",
      slaDueAt: new Date("2026-11-18T16:00:00.000Z"),
    });
    const conversationId = started?.id ?? "";

    const later = new Date("2026-11-16T11:00:00.000Z");
    await addNote({
      ctx: ctxFor(db, actorFor(agent), later),
      input: { conversationId, body: "Checking with the warehouse" },
    });
    const [afterNote] = await db.select().from(slaEvents).where(eq(slaEvents.conversationId, conversationId));
    expect(afterNote?.metAt).toBeNull();

    await sendMessage({
      ctx: ctxFor(db, actorFor(agent), later),
      input: { conversationId, type: "text", body: "Yes, it left this morning." },
    });
    const [met] = await db.select().from(slaEvents).where(eq(slaEvents.conversationId, conversationId));
    expect(met?.metAt).toEqual(later);
    const [conversation] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
    expect(conversation?.slaDueAt).toBeNull();
  });
});
