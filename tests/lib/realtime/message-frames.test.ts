import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { conversations, inboxSlaSettings, type Conversation, type Inbox, type User } from "@/lib/db/schema";
import { assignConversation, setConversationStatus } from "@/lib/domain/conversations";
import { sendMessage } from "@/lib/domain/messages";
import { ingestWhatsAppWebhook } from "@/lib/domain/webhooks/ingest";
import { rooms } from "@/lib/realtime/events";
import { setupTestDatabase } from "../../support/db";
import {
  actorFor,
  addMember,
  conversationOfCustomer,
  createInbox,
  createUser,
  ctxFor,
} from "../../support/factories";
import { containing } from "../../support/matchers";
import { listenToRoom, type ReceivedEvent, type SocketListener } from "../../support/socket-listener";
import { postWebhook, textWebhook } from "../../support/whatsapp";

const database = setupTestDatabase();
let inbox: Inbox;
let agent: User;
let listener: SocketListener;
let counter = 0;
const nextCustomer = () => `1555810${String((counter += 1)).padStart(4, "0")}`;
const nextWamid = () => `wamid.frames-${(counter += 1)}-${Math.random().toString(36).slice(2)}`;
/** Now, in WhatsApp's seconds: the 24-hour window stays open for the agent's reply. */
const nowSeconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inbox = await createInbox(db);
  agent = await createUser(db, { name: "Dana" });
  await addMember(db, inbox.id, agent.id);
  // An agent's socket: in the inbox room, as the socket server joins every member's.
  listener = await listenToRoom(rooms.inbox(inbox.id));
});
afterAll(async () => {
  await listener.close();
  clearDatabaseHandle();
});

const ctx = () => ctxFor(database().handle.db, actorFor(agent));
const payloadOf = (event: ReceivedEvent) => event.payload as { conversationId?: string; wamid?: string };

async function customerWrites(waId: string, body = "Where is my order?") {
  const wamid = nextWamid();
  expect(
    (
      await postWebhook(
        textWebhook({ phoneNumberId: inbox.phoneNumberId, wamid, from: waId, body, timestamp: nowSeconds() }),
      )
    ).status,
  ).toBe(200);
  return listener.waitFor((event) => event.name === "message.created" && payloadOf(event).wamid === wamid);
}

const conversationOf = (waId: string) => conversationOfCustomer(database().handle.db, waId);

/** The next message Parley itself sent in the conversation (off-hours notice, STOP/START confirmation). */
const parleysOwnMessageIn = (conversationId: string) =>
  listener.waitFor(
    (event) =>
      event.name === "message.created" &&
      payloadOf(event).conversationId === conversationId &&
      (event.payload as { authorKind: string }).authorKind === "system",
  );

/**
 * The events about one conversation from `from` on, up to an assignment change this helper then
 * makes: events arrive in emit order, so whatever the steps before announced is in by then.
 */
async function framesUntilReassigned(conversationId: string, from: ReceivedEvent | null) {
  const { assigneeId } = await conversationById(conversationId);
  const next = assigneeId ? null : agent.id;
  const mark = listener.events.length;
  await assignConversation({ ctx: ctx(), input: { conversationId, assigneeId: next } });
  const sentinel = await listener.waitFor(
    (event) =>
      listener.events.indexOf(event) >= mark &&
      event.name === "conversation.changed" &&
      payloadOf(event).conversationId === conversationId &&
      (event.payload as { assigneeId: string | null }).assigneeId === next,
  );
  return listener.events
    .slice(from ? listener.events.indexOf(from) : 0, listener.events.indexOf(sentinel))
    .filter((event) => payloadOf(event).conversationId === conversationId);
}

async function conversationById(id: string): Promise<Conversation> {
  const [row] = await database().handle.db.select().from(conversations).where(eq(conversations.id, id));
  if (!row) throw new Error(`no conversation ${id}`);
  return row;
}

describe("frames an agent's socket receives", () => {
  it("gets a customer's message as one event carrying the conversation's new state and its clock", async () => {
    const waId = nextCustomer();
    const created = await customerWrites(waId);
    const row = await conversationOf(waId);
    const frames = await framesUntilReassigned(row.id, created);

    expect(frames).toEqual([{ name: "message.created", payload: created.payload }]);
    expect(created.payload).toMatchObject({
      conversationId: row.id,
      direction: "inbound",
      body: "Where is my order?",
      conversation: {
        conversationId: row.id,
        inboxId: inbox.id,
        status: "open",
        assigneeId: null,
        updatedAt: row.updatedAt.toISOString(),
        waitingSince: row.waitingSince?.toISOString(),
        unreadCount: 1,
        windowExpiresAt: row.windowExpiresAt?.toISOString(),
      },
      sla: {
        kind: "first_response",
        startedAt: row.slaStartedAt?.toISOString(),
        dueAt: row.slaDueAt?.toISOString(),
        atRiskAt: row.slaAtRiskAt?.toISOString(),
        breachedAt: null,
      },
    });
  });

  it("gets an agent's reply as one event carrying the conversation and the clock it met", async () => {
    const waId = nextCustomer();
    await customerWrites(waId);
    const { id } = await conversationOf(waId);
    await framesUntilReassigned(id, null);

    const reply = await sendMessage({
      ctx: ctx(),
      input: { conversationId: id, type: "text", body: "On its way." },
    });
    const created = await listener.waitFor(
      (event) => event.name === "message.created" && (event.payload as { id: string }).id === reply.id,
    );
    await setConversationStatus({ ctx: ctx(), input: { conversationId: id, status: "pending" } });
    await setConversationStatus({ ctx: ctx(), input: { conversationId: id, status: "open" } });
    const frames = await framesUntilReassigned(id, created);
    const row = await conversationById(id);

    expect(created.payload).toMatchObject({
      direction: "outbound",
      body: "On its way.",
      conversation: containing({
        conversationId: id,
        status: "open",
        assigneeId: agent.id,
        waitingSince: null,
      }),
      sla: null,
    });
    expect(row.slaDueAt).toBeNull();
    // Only the status changes (no message) went out as conversation.changed; no sla.changed at all.
    expect(frames.map((event) => event.name)).toEqual([
      "message.created",
      "conversation.changed",
      "conversation.event",
      "conversation.changed",
      "conversation.event",
    ]);
  });

  it("gets Parley's off-hours reply with the customer still waiting", async () => {
    const { db } = database().handle;
    // A Saturday: closed in every time zone the default calendar can be in.
    const saturday = new Date("2026-11-21T12:00:00.000Z");
    const waId = nextCustomer();
    await db
      .update(inboxSlaSettings)
      .set({ offHoursReplyEnabled: true })
      .where(eq(inboxSlaSettings.inboxId, inbox.id));
    try {
      await ingestWhatsAppWebhook({
        ctx: { actor: { kind: "system", reason: "test" }, db, now: saturday },
        input: {
          rawBody: textWebhook({
            phoneNumberId: inbox.phoneNumberId,
            wamid: nextWamid(),
            from: waId,
            body: "Is anyone there?",
            timestamp: saturday.getTime() / 1000,
          }),
          signature: null,
        },
      });
    } finally {
      await db
        .update(inboxSlaSettings)
        .set({ offHoursReplyEnabled: false })
        .where(eq(inboxSlaSettings.inboxId, inbox.id));
    }
    const row = await conversationOf(waId);
    const reply = await parleysOwnMessageIn(row.id);

    expect(row.waitingSince?.toISOString()).toBe(saturday.toISOString());
    expect(reply.payload).toMatchObject({
      direction: "outbound",
      payload: { system: "off_hours_reply" },
      conversation: {
        conversationId: row.id,
        waitingSince: saturday.toISOString(),
        // The list keeps showing the customer's message, as the server does.
        lastMessagePreview: "Is anyone there?",
        lastMessageAt: saturday.toISOString(),
      },
    });
  });

  it("gets a STOP confirmation with the customer still waiting", async () => {
    const waId = nextCustomer();
    await customerWrites(waId, "STOP");
    const row = await conversationOf(waId);
    const confirmation = await parleysOwnMessageIn(row.id);

    expect(row.waitingSince).not.toBeNull();
    expect(confirmation.payload).toMatchObject({
      direction: "outbound",
      payload: { consentConfirmation: "opt_out" },
      conversation: { conversationId: row.id, waitingSince: row.waitingSince?.toISOString() },
    });
  });

  it("still gets conversation.changed and sla.changed for changes without a message", async () => {
    const waId = nextCustomer();
    const created = await customerWrites(waId);
    const { id } = await conversationOf(waId);
    await setConversationStatus({ ctx: ctx(), input: { conversationId: id, status: "resolved" } });
    const stopped = await listener.waitFor(
      (event) => event.name === "sla.changed" && payloadOf(event).conversationId === id,
    );

    expect(stopped.payload).toEqual({ conversationId: id, inboxId: inbox.id, sla: null });
    const frames = listener.events
      .slice(listener.events.indexOf(created), listener.events.indexOf(stopped) + 1)
      .filter((event) => payloadOf(event).conversationId === id);
    expect(frames.map((event) => event.name)).toEqual([
      "message.created",
      "conversation.changed",
      "conversation.event",
      "sla.changed",
    ]);
    // Resolving answers nobody: the row, and the event, still say since when the customer waits.
    const row = await conversationById(id);
    expect(row.waitingSince).not.toBeNull();
    expect(frames[1]?.payload).toMatchObject({
      conversationId: id,
      status: "resolved",
      waitingSince: row.waitingSince?.toISOString(),
    });
  });

  it("puts a batch's final state on each conversation's last message only", async () => {
    const first = nextCustomer();
    const second = nextCustomer();
    const wamids = [nextWamid(), nextWamid(), nextWamid()];
    const message = (from: string, wamid: string, body: string) => ({
      from,
      id: wamid,
      timestamp: String(nowSeconds()),
      type: "text",
      text: { body },
    });
    const batch = JSON.parse(
      textWebhook({ phoneNumberId: inbox.phoneNumberId, wamid: "unused", from: first, body: "" }),
    ) as { entry: { changes: { value: Record<string, unknown> }[] }[] };
    const value = batch.entry[0]?.changes[0]?.value;
    if (!value) throw new Error("webhook shape changed");
    value.contacts = [
      { profile: { name: "Ann" }, wa_id: first },
      { profile: { name: "Ben" }, wa_id: second },
    ];
    value.messages = [
      message(first, wamids[0] as string, "Hello"),
      message(second, wamids[1] as string, "Hi there"),
      message(first, wamids[2] as string, "Are you there?"),
    ];
    expect((await postWebhook(JSON.stringify(batch))).status).toBe(200);
    const last = await listener.waitFor(
      (event) => event.name === "message.created" && payloadOf(event).wamid === wamids[2],
    );
    const ann = await conversationOf(first);
    const ben = await conversationOf(second);
    const annFrames = await framesUntilReassigned(ann.id, null);
    const benFrames = await framesUntilReassigned(ben.id, null);

    expect(annFrames.map((event) => [event.name, payloadOf(event).wamid])).toEqual([
      ["message.created", wamids[0]],
      ["message.created", wamids[2]],
    ]);
    expect(annFrames[0]?.payload).not.toHaveProperty("conversation");
    expect(annFrames[0]?.payload).not.toHaveProperty("sla");
    expect(last.payload).toMatchObject({
      conversation: { conversationId: ann.id, unreadCount: 2 },
      sla: { kind: "first_response", dueAt: ann.slaDueAt?.toISOString() },
    });
    expect(benFrames.map((event) => event.name)).toEqual(["message.created"]);
    expect(benFrames[0]?.payload).toMatchObject({
      wamid: wamids[1],
      conversation: { conversationId: ben.id, unreadCount: 1 },
      sla: { kind: "first_response", dueAt: ben.slaDueAt?.toISOString() },
    });
  });
});
