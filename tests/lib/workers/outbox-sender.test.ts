import { and, eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import {
  conversations,
  messages,
  outbox,
  simulatorMessages,
  type Conversation,
  type Inbox,
  type User,
} from "@/lib/db/schema";
import { markConversationRead, sendMessage } from "@/lib/domain/messages";
import { describeWhatsAppError } from "@/lib/whatsapp/errors";
import { createGraphClient, type GraphClient } from "@/lib/whatsapp/graph-client";
import { setSimulatorFailure, type SimulatorFailureInput } from "@/lib/whatsapp/simulator/control";
import { handleGraphRequest } from "@/lib/whatsapp/simulator/graph-stand-in";
import {
  ABANDONED_REASON,
  backoffMs,
  drainOutbox,
  type OutboxSenderOptions,
} from "@/lib/workers/outbox-sender";
import { setupTestDatabase } from "../../support/db";
import {
  actorFor,
  addMember,
  createContact,
  createConversation,
  createMessage,
  createUser,
  ctxFor,
  createInbox,
} from "../../support/factories";
import { serveFetch, type TestServer } from "../../support/http-server";
import { postWebhook, statusWebhook } from "../../support/whatsapp";
import { containingText, matching } from "../../support/matchers";

const database = setupTestDatabase();
const TOKEN = "outbox-test-token";
let clock = new Date("2026-11-20T12:00:00.000Z");
const later = (ms: number) => new Date(clock.getTime() + ms);
let standIn: TestServer;
let graph: GraphClient;
let inbox: Inbox;
let agent: User;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inbox = await createInbox(db, { phoneNumberId: "1500000001" });
  agent = await createUser(db, { name: "Dana" });
  await addMember(db, inbox.id, agent.id);
  standIn = await serveFetch((request) =>
    handleGraphRequest(request, new URL(request.url).pathname.split("/").filter(Boolean).slice(1), {
      db,
      now: () => clock,
      accessToken: TOKEN,
      baseUrl: `${standIn.url}/graph`,
      hangMs: 10_000,
    }),
  );
  graph = createGraphClient({
    baseUrl: `${standIn.url}/graph`,
    version: "v23.0",
    accessToken: TOKEN,
    timeoutMs: 2_000,
  });
});

afterAll(async () => {
  await standIn.close();
  clearDatabaseHandle();
});

beforeEach(async () => {
  clock = new Date(clock.getTime() + 24 * 3600_000);
  await setSimulatorFailure(database().handle.db, { kind: "none" }, clock);
});

// Every test leaves nothing queued or in flight, so no test sends another's messages.
afterEach(async () => {
  const pending = await database()
    .handle.db.select()
    .from(outbox)
    .where(inArray(outbox.status, ["queued", "in_flight"]));
  expect(pending).toEqual([]);
});

function failNext(input: SimulatorFailureInput) {
  return setSimulatorFailure(database().handle.db, input, clock);
}

async function openConversation(): Promise<Conversation> {
  const { db } = database().handle;
  const contact = await createContact(db, inbox.id);
  return createConversation(db, inbox.id, { contactId: contact.id, windowExpiresAt: later(3600_000) });
}

function reply(conversation: Conversation, body = "Thank you for your patience.") {
  return sendMessage({
    ctx: ctxFor(database().handle.db, actorFor(agent), clock),
    input: { type: "text", conversationId: conversation.id, body },
  });
}

function drain(at: Date = clock, options: Partial<OutboxSenderOptions> = {}) {
  return drainOutbox({ db: database().handle.db, graph, now: () => at, random: () => 0.5, ...options });
}

async function messageRow(id: string) {
  const [row] = await database().handle.db.select().from(messages).where(eq(messages.id, id));
  if (!row) throw new Error("message missing");
  return row;
}

async function outboxRowFor(messageId: string) {
  const [row] = await database().handle.db.select().from(outbox).where(eq(outbox.messageId, messageId));
  if (!row) throw new Error("outbox row missing");
  return row;
}

/** What reached the Graph API stand-in for one message (recorded once per idempotency key). */
async function sendsOf(messageId: string) {
  const job = await outboxRowFor(messageId);
  return database()
    .handle.db.select()
    .from(simulatorMessages)
    .where(eq(simulatorMessages.idempotencyKey, job.id));
}

describe("the outbox sender", () => {
  it("sends a queued reply once and records the wamid WhatsApp returned", async () => {
    const conversation = await openConversation();
    const message = await reply(conversation, "Your order ships today.");
    expect(message.status).toBe("queued");
    expect(await outboxRowFor(message.id)).toMatchObject({
      status: "queued",
      attempts: 0,
      kind: "send_message",
    });

    expect(await drain()).toBe(1);
    const sends = await sendsOf(message.id);
    expect(sends).toHaveLength(1);
    expect(sends[0]?.payload).toMatchObject({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      type: "text",
      text: { body: "Your order ships today." },
    });
    expect(await messageRow(message.id)).toMatchObject({ status: "sent", wamid: sends[0]?.wamid });
    expect(await outboxRowFor(message.id)).toMatchObject({ status: "done", attempts: 1, lastError: null });

    expect(await drain(later(60_000))).toBe(0);
    expect(await sendsOf(message.id)).toHaveLength(1);
  });

  it("retries 5xx answers with exponential backoff, then sends once", async () => {
    await failNext({ kind: "server_error", times: 2 });
    const message = await reply(await openConversation());

    await drain();
    const first = await outboxRowFor(message.id);
    expect(first).toMatchObject({ status: "queued", attempts: 1, lastError: matching(/#131000/) });
    expect(first.nextAttemptAt).toEqual(later(backoffMs(1, () => 0.5)));
    expect((await messageRow(message.id)).status).toBe("queued");
    expect(await drain()).toBe(0); // not due yet

    await drain(later(2_000));
    const second = await outboxRowFor(message.id);
    expect(second).toMatchObject({ status: "queued", attempts: 2 });
    expect(second.nextAttemptAt).toEqual(later(2_000 + backoffMs(2, () => 0.5)));

    await drain(later(10_000));
    expect(await outboxRowFor(message.id)).toMatchObject({ status: "done", attempts: 3 });
    expect((await messageRow(message.id)).status).toBe("sent");
    expect(await sendsOf(message.id)).toHaveLength(1);
  });

  it("retries after a timeout", async () => {
    await failNext({ kind: "timeout", times: 1 });
    const message = await reply(await openConversation());
    await drain();
    expect(await outboxRowFor(message.id)).toMatchObject({
      status: "queued",
      lastError: matching(/did not answer within/),
    });
    await drain(later(60_000));
    expect((await messageRow(message.id)).status).toBe("sent");
    expect(await sendsOf(message.id)).toHaveLength(1);
  });

  it("sends once when WhatsApp accepted the message but the answer was lost", async () => {
    await failNext({ kind: "accept_then_timeout", times: 1 });
    const message = await reply(await openConversation());
    await drain();
    expect((await outboxRowFor(message.id)).status).toBe("queued");
    const accepted = await sendsOf(message.id);
    expect(accepted).toHaveLength(1);

    await drain(later(60_000));
    // The retry carries the same idempotency key: the stand-in answers with the same wamid.
    expect(await sendsOf(message.id)).toHaveLength(1);
    expect(await messageRow(message.id)).toMatchObject({ status: "sent", wamid: accepted[0]?.wamid });
  });

  it("retries when the connection is dropped before any answer, then sends once", async () => {
    await failNext({ kind: "drop_connection", times: 1 });
    const message = await reply(await openConversation());
    await drain();
    expect(await outboxRowFor(message.id)).toMatchObject({
      status: "queued",
      lastError: matching(/could not reach WhatsApp/),
    });
    expect(await sendsOf(message.id)).toHaveLength(0);
    await drain(later(60_000));
    expect((await messageRow(message.id)).status).toBe("sent");
    expect(await sendsOf(message.id)).toHaveLength(1);
  });

  it("sends once when WhatsApp accepted the message and then the connection dropped", async () => {
    await failNext({ kind: "accept_then_drop", times: 1 });
    const message = await reply(await openConversation());
    await drain();
    expect((await outboxRowFor(message.id)).status).toBe("queued");
    const accepted = await sendsOf(message.id);
    expect(accepted).toHaveLength(1);
    await drain(later(60_000));
    expect(await sendsOf(message.id)).toHaveLength(1);
    expect(await messageRow(message.id)).toMatchObject({ status: "sent", wamid: accepted[0]?.wamid });
  });

  it.each([130429, 131056])("retries throttling error %i", async (code) => {
    await failNext({ kind: "graph_error", code, times: 1 });
    const message = await reply(await openConversation());
    await drain();
    expect(await outboxRowFor(message.id)).toMatchObject({
      status: "queued",
      lastError: containingText(`#${code}`),
    });
    await drain(later(60_000));
    expect((await messageRow(message.id)).status).toBe("sent");
  });

  it.each([
    [131047, /24-hour window has closed/],
    [131026, /could not deliver/],
    [131050, /not to receive marketing/],
    [190, /access token has expired/],
    [368, /restricted this business number/],
    [100, /WhatsApp refused the message/],
  ])("fails the message for good on error %i, with a reason an agent can act on", async (code, reason) => {
    await failNext({ kind: "graph_error", code, times: 1 });
    const conversation = await openConversation();
    const message = await reply(conversation);
    await drain();
    const failed = await messageRow(message.id);
    expect(failed).toMatchObject({ status: "failed", errorCode: code, failureReason: matching(reason) });
    expect(failed.failureReason).toBe(describeWhatsAppError(code, failed.errorTitle));
    expect(await outboxRowFor(message.id)).toMatchObject({ status: "failed", attempts: 1 });
    expect(await sendsOf(message.id)).toHaveLength(0);

    const [after] = await database()
      .handle.db.select()
      .from(conversations)
      .where(eq(conversations.id, conversation.id));
    if (code === 131047) expect(after?.windowExpiresAt).toEqual(clock);
    else expect(after?.windowExpiresAt).toEqual(conversation.windowExpiresAt);
  });

  it("gives up after the last attempt and says so", async () => {
    await failNext({ kind: "server_error" });
    const message = await reply(await openConversation());
    for (let attempt = 0; attempt < 3; attempt += 1)
      await drain(later(attempt * 600_000), { maxAttempts: 3 });
    expect(await messageRow(message.id)).toMatchObject({
      status: "failed",
      failureReason: matching(
        /^WhatsApp did not accept the message after 3 attempts\. WhatsApp had an internal problem\./,
      ),
    });
    expect(await outboxRowFor(message.id)).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("sends a conversation's messages in the order they were written, holding later ones while an earlier one retries", async () => {
    await failNext({ kind: "server_error", times: 1 });
    const conversation = await openConversation();
    const first = await reply(conversation, "first");
    const second = await reply(conversation, "second");

    await drain();
    expect((await outboxRowFor(first.id)).status).toBe("queued");
    expect(await outboxRowFor(second.id)).toMatchObject({ status: "queued", attempts: 0 });

    await drain(later(60_000));
    expect((await messageRow(first.id)).status).toBe("sent");
    expect(await outboxRowFor(second.id)).toMatchObject({ status: "queued", attempts: 0 });

    await drain(later(60_000));
    expect((await messageRow(second.id)).status).toBe("sent");
    expect(await sendsOf(second.id)).toHaveLength(1);
  });

  it("never sends a row twice when workers drain at the same time", async () => {
    const sent = [];
    for (let index = 0; index < 6; index += 1)
      sent.push(await reply(await openConversation(), `parallel ${index}`));
    await Promise.all([drain(), drain(), drain()]);
    for (const message of sent) {
      expect(await sendsOf(message.id)).toHaveLength(1);
      expect((await messageRow(message.id)).status).toBe("sent");
    }
  });
});

describe("a worker that dies", () => {
  it("between commit and send: the message is sent once by whoever drains next", async () => {
    const message = await reply(await openConversation());
    // Nothing claimed it before the "crash": it is simply still queued.
    expect((await outboxRowFor(message.id)).status).toBe("queued");
    await drain(later(1_000));
    expect(await sendsOf(message.id)).toHaveLength(1);
  });

  it("after claiming but before sending: the row is sent once after its lease expires", async () => {
    const message = await reply(await openConversation());
    let claimed!: () => void;
    const wasClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const dying: GraphClient = {
      ...graph,
      sendMessage: () => {
        claimed();
        return new Promise(() => {}); // the process died here
      },
    };
    void drain(clock, { graph: dying });
    await wasClaimed;
    expect(await outboxRowFor(message.id)).toMatchObject({ status: "in_flight", attempts: 1 });

    expect(await drain(later(30_000))).toBe(0); // the lease still holds
    expect(await drain(later(61_000))).toBe(1);
    expect(await sendsOf(message.id)).toHaveLength(1);
    expect(await outboxRowFor(message.id)).toMatchObject({ status: "done", attempts: 2 });
    expect((await messageRow(message.id)).status).toBe("sent");
  });

  it("after WhatsApp accepted but before recording it: the retry is recognised and sent once", async () => {
    const message = await reply(await openConversation());
    let accepted!: () => void;
    const wasAccepted = new Promise<void>((resolve) => (accepted = resolve));
    const dying: GraphClient = {
      ...graph,
      sendMessage: async (...args) => {
        await graph.sendMessage(...args);
        accepted();
        return new Promise(() => {}); // died before writing the outcome
      },
    };
    void drain(clock, { graph: dying });
    await wasAccepted;
    const [first] = await sendsOf(message.id);

    await drain(later(61_000));
    expect(await sendsOf(message.id)).toHaveLength(1);
    expect(await messageRow(message.id)).toMatchObject({ status: "sent", wamid: first?.wamid });
  });
});

describe("a row that keeps crashing its sender", () => {
  it("is given up after the last attempt instead of being sent again and again", async () => {
    const message = await reply(await openConversation());
    let claims = 0;
    let claimed!: () => void;
    let wasClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const dying: GraphClient = {
      ...graph,
      sendMessage: () => {
        claims += 1;
        claimed();
        return new Promise(() => {});
      },
    };
    void drain(clock, { graph: dying, maxAttempts: 2 });
    await wasClaimed;
    wasClaimed = new Promise<void>((resolve) => (claimed = resolve));
    void drain(later(61_000), { graph: dying, maxAttempts: 2 });
    await wasClaimed;
    expect(claims).toBe(2);

    expect(await drain(later(200_000), { maxAttempts: 2 })).toBe(0);
    expect(await messageRow(message.id)).toMatchObject({ status: "failed", failureReason: ABANDONED_REASON });
    expect(await outboxRowFor(message.id)).toMatchObject({ status: "failed", attempts: 2 });
    expect(await sendsOf(message.id)).toHaveLength(0);
  });
});

describe("statuses that race the send", () => {
  it("applies a status that arrived before the sender recorded the wamid", async () => {
    const message = await reply(await openConversation());
    const early: GraphClient = {
      ...graph,
      sendMessage: async (...args) => {
        const result = await graph.sendMessage(...args);
        if (result.ok) {
          const body = statusWebhook({
            phoneNumberId: inbox.phoneNumberId,
            statuses: [
              {
                wamid: result.value.wamid,
                status: "delivered",
                timestamp: Math.floor(clock.getTime() / 1000),
              },
            ],
          });
          expect((await postWebhook(body)).status).toBe(200);
        }
        return result;
      },
    };
    await drain(clock, { graph: early });
    expect(await messageRow(message.id)).toMatchObject({ status: "delivered", statusUpdatedAt: clock });
  });
});

describe("marking a conversation read", () => {
  it("marks the newest unread customer message read on WhatsApp, once", async () => {
    const { db } = database().handle;
    const conversation = await openConversation();
    await db.update(conversations).set({ unreadCount: 2 }).where(eq(conversations.id, conversation.id));
    const older = await createMessage(db, conversation, { createdAt: later(-2_000) });
    const newer = await createMessage(db, conversation, { createdAt: later(-1_000) });
    // The simulated phone shows the customer's two messages as sent to the business.
    for (const row of [older, newer]) {
      await db.insert(simulatorMessages).values({
        phoneNumberId: inbox.phoneNumberId,
        customer: "15550000000",
        direction: "to_business",
        wamid: row.wamid ?? "",
        type: "text",
        body: row.body,
        status: "sent",
        createdAt: row.createdAt,
      });
    }

    const result = await markConversationRead({
      ctx: ctxFor(db, actorFor(agent), clock),
      input: { conversationId: conversation.id },
    });
    expect(result).toEqual({ markedRead: 2 });
    const jobs = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.conversationId, conversation.id), eq(outbox.kind, "mark_read")));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.request).toEqual({
      messaging_product: "whatsapp",
      status: "read",
      message_id: newer.wamid,
    });

    await drain();
    expect(
      (
        await db
          .select()
          .from(outbox)
          .where(eq(outbox.id, jobs[0]?.id ?? ""))
      )[0]?.status,
    ).toBe("done");
    const phone = await db
      .select({ status: simulatorMessages.status })
      .from(simulatorMessages)
      .where(inArray(simulatorMessages.wamid, [older.wamid ?? "", newer.wamid ?? ""]));
    expect(phone.map((row) => row.status)).toEqual(["read", "read"]);
    const [after] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(after?.unreadCount).toBe(0);

    // Nothing unread any more: opening it again queues nothing.
    expect(
      await markConversationRead({
        ctx: ctxFor(db, actorFor(agent), clock),
        input: { conversationId: conversation.id },
      }),
    ).toEqual({ markedRead: 0 });
    expect(
      await db
        .select()
        .from(outbox)
        .where(and(eq(outbox.conversationId, conversation.id), eq(outbox.kind, "mark_read"))),
    ).toHaveLength(1);
  });
});
