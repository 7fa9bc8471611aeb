import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { contacts, messages, outbox, slaEvents, type Inbox } from "@/lib/db/schema";
import { ingestWhatsAppWebhook } from "@/lib/domain/webhooks/ingest";
import { setupTestDatabase } from "../../../support/db";
import { createInbox } from "../../../support/factories";
import { textWebhook } from "../../../support/whatsapp";

const database = setupTestDatabase();

// Default calendar: Monday to Friday 09:00–18:00 UTC. 2026-11-21 is a Saturday.
const saturday = new Date("2026-11-21T10:00:00.000Z");
const saturdayEvening = new Date("2026-11-21T19:00:00.000Z");
const mondayMorning = new Date("2026-11-23T10:00:00.000Z");
const mondayNight = new Date("2026-11-23T20:00:00.000Z");

let withReply: Inbox;
let withoutReply: Inbox;

beforeAll(async () => {
  const { db } = database().handle;
  withReply = await createInbox(db, {
    phoneNumberId: "pn-off-hours-on",
    timeZone: "UTC",
    offHoursReply: true,
  });
  withoutReply = await createInbox(db, { phoneNumberId: "pn-off-hours-off", timeZone: "UTC" });
});

let wamid = 0;
async function customerWrites(db: Database, inbox: Inbox, from: string, at: Date) {
  wamid += 1;
  return ingestWhatsAppWebhook({
    ctx: { actor: { kind: "system", reason: "test" }, db, now: at },
    input: {
      rawBody: textWebhook({
        phoneNumberId: inbox.phoneNumberId,
        wamid: `wamid.off-hours.${wamid}`,
        from,
        body: "Hello, is anyone there?",
        timestamp: at.getTime() / 1000,
      }),
      signature: null,
    },
  });
}

describe("the off-hours auto-reply from the webhook ingest", () => {
  it("queues one courteous system reply per closed period with the next opening, through the outbox", async () => {
    const { db } = database().handle;
    const outcome = await customerWrites(db, withReply, "15550009001", saturday);
    expect(outcome.messagesStored).toBe(1);
    await customerWrites(db, withReply, "15550009001", saturdayEvening);

    const replies = await db
      .select()
      .from(messages)
      .where(and(eq(messages.inboxId, withReply.id), eq(messages.direction, "outbound")));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      authorKind: "system",
      status: "queued",
      payload: { system: "off_hours_reply" },
    });
    expect(replies[0]?.body).toMatch(/We will reply when we are back on Monday at 9:00\.$/);
    const queued = await db
      .select()
      .from(outbox)
      .where(eq(outbox.messageId, replies[0]?.id ?? ""));
    expect(queued).toHaveLength(1);
    expect(queued[0]?.request).toMatchObject({ to: "+15550009001", type: "text" });

    // The reply answers nobody: the first-response clock still runs.
    const [clock] = await db
      .select()
      .from(slaEvents)
      .where(eq(slaEvents.conversationId, replies[0]?.conversationId ?? ""));
    expect(clock).toMatchObject({ metAt: null, stoppedAt: null });

    // Open on Monday morning: nothing. Closed again on Monday night: a new period, a new reply.
    await customerWrites(db, withReply, "15550009001", mondayMorning);
    await customerWrites(db, withReply, "15550009001", mondayNight);
    const after = await db
      .select({ body: messages.body })
      .from(messages)
      .where(and(eq(messages.inboxId, withReply.id), eq(messages.direction, "outbound")));
    expect(after).toHaveLength(2);
    expect(after[1]?.body).toMatch(/back tomorrow at 9:00\.$/);
  });

  it("sends nothing when the inbox turned the reply off", async () => {
    const { db } = database().handle;
    await customerWrites(db, withoutReply, "15550009002", saturday);
    const replies = await db
      .select()
      .from(messages)
      .where(and(eq(messages.inboxId, withoutReply.id), eq(messages.direction, "outbound")));
    expect(replies).toHaveLength(0);
    expect(await db.select().from(outbox).where(eq(outbox.inboxId, withoutReply.id))).toHaveLength(0);
  });

  it("sends nothing to a customer whose data was erased", async () => {
    const { db } = database().handle;
    await customerWrites(db, withReply, "15550009003", mondayMorning);
    await db
      .update(contacts)
      .set({ anonymizedAt: mondayMorning })
      .where(and(eq(contacts.inboxId, withReply.id), eq(contacts.waId, "15550009003")));
    const before = await db.select().from(outbox).where(eq(outbox.inboxId, withReply.id));
    await customerWrites(db, withReply, "15550009003", saturdayEvening);
    expect(await db.select().from(outbox).where(eq(outbox.inboxId, withReply.id))).toHaveLength(
      before.length,
    );
  });
});
