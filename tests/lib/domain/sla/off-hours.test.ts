import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { slaEvents, type Conversation, type Inbox, type User } from "@/lib/db/schema";
import { onCustomerMessage, planOffHoursReply, updateBusinessHours } from "@/lib/domain/sla";
import { setupTestDatabase } from "../../../support/db";
import { actorFor, createConversation, createInbox, createUser, ctxFor } from "../../../support/factories";
import { at } from "../../../support/sla";

const database = setupTestDatabase();

let inbox: Inbox;
let admin: User;

beforeAll(async () => {
  const { db } = database().handle;
  inbox = await createInbox(db, { timeZone: "Europe/London", offHoursReply: true });
  admin = await createUser(db, { role: "admin" });
});

function plan(db: Database, conversation: Conversation, now: Date, inboxId = conversation.inboxId) {
  return db.transaction((tx) => planOffHoursReply(tx, { inboxId, conversationId: conversation.id, now }));
}

describe("planOffHoursReply", () => {
  it("says nothing while the business is open", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    expect(await plan(db, conversation, at("2026-03-02T10:00:00Z"))).toBeNull();
  });

  it("answers once per closed period, saying when the team is back", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    // Friday evening, then Saturday: the same closed period; then Monday evening: a new one.
    expect(await plan(db, conversation, at("2026-03-06T19:00:00Z"))).toBe(
      "Thank you for your message. Our team is available Monday to Friday, 9:00–18:00. " +
        "We will reply when we are back on Monday at 9:00.",
    );
    expect(await plan(db, conversation, at("2026-03-07T11:00:00Z"))).toBeNull();
    expect(await plan(db, conversation, at("2026-03-09T19:00:00Z"))).toBe(
      "Thank you for your message. Our team is available Monday to Friday, 9:00–18:00. " +
        "We will reply when we are back tomorrow at 9:00.",
    );
  });

  it("remembers the reply per customer, so a second conversation the same night gets none", async () => {
    const { db } = database().handle;
    const first = await createConversation(db, inbox.id, { status: "resolved" });
    expect(await plan(db, first, at("2026-03-10T20:00:00Z"))).not.toBeNull();
    const second = await createConversation(db, inbox.id, { contactId: first.contactId });
    expect(await plan(db, second, at("2026-03-10T21:00:00Z"))).toBeNull();
  });

  it("uses the inbox's own text, and nothing at all when the inbox turned it off", async () => {
    const { db } = database().handle;
    const own = await createInbox(db, { timeZone: "Europe/London", offHoursReply: true });
    const ctx = ctxFor(db, actorFor(admin), at("2026-03-01T12:00:00Z"));
    await updateBusinessHours({
      ctx,
      input: {
        inboxId: own.id,
        calendar: { timeZone: "Europe/London" },
        offHoursReply: { enabled: true, template: "Closed now. Back {{next_opening}} ({{time_zone}})." },
      },
    });
    const conversation = await createConversation(db, own.id);
    expect(await plan(db, conversation, at("2026-03-07T11:00:00Z"))).toBe(
      "Closed now. Back on Monday at 9:00 (Europe/London).",
    );

    await updateBusinessHours({
      ctx,
      input: {
        inboxId: own.id,
        calendar: { timeZone: "Europe/London" },
        offHoursReply: { enabled: false, template: "Closed now." },
      },
    });
    const another = await createConversation(db, own.id);
    expect(await plan(db, another, at("2026-03-07T11:00:00Z"))).toBeNull();
  });

  it("stops no clock: the customer's clock runs on after the auto-reply", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await db.transaction(async (tx) => {
      await onCustomerMessage(tx, {
        conversationId: conversation.id,
        inboxId: inbox.id,
        arrivedAt: at("2026-03-07T11:00:00Z"),
      });
      expect(
        await planOffHoursReply(tx, {
          inboxId: inbox.id,
          conversationId: conversation.id,
          now: at("2026-03-07T11:00:00Z"),
        }),
      ).not.toBeNull();
    });
    const [clock] = await db.select().from(slaEvents).where(eq(slaEvents.conversationId, conversation.id));
    expect(clock).toMatchObject({ metAt: null, stoppedAt: null, clockStartedAt: at("2026-03-09T09:00:00Z") });
  });

  it("refuses a conversation from another inbox (a caller's mistake)", async () => {
    const { db } = database().handle;
    const other = await createInbox(db);
    const conversation = await createConversation(db, other.id);
    await expect(plan(db, conversation, at("2026-03-07T11:00:00Z"), inbox.id)).rejects.toThrow(
      /is not in inbox/,
    );
  });
});
