import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as retryRoute } from "@/app/api/v1/conversations/[id]/messages/[messageId]/retry/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import {
  messages,
  outbox,
  simulatorMessages,
  templates,
  type Conversation,
  type Inbox,
  type User,
} from "@/lib/db/schema";
import { retryMessage, sendMessage } from "@/lib/domain/messages";
import { createGraphClient, type GraphClient } from "@/lib/whatsapp/graph-client";
import { setSimulatorFailure } from "@/lib/whatsapp/simulator/control";
import { handleGraphRequest } from "@/lib/whatsapp/simulator/graph-stand-in";
import { drainOutbox } from "@/lib/workers/outbox-sender";
import { apiRequest, createAccount, params, sessionCookie, type TestAccount } from "../../../support/auth";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createContact,
  createConversation,
  createInbox,
  createUser,
  ctxFor,
} from "../../../support/factories";
import { serveFetch, type TestServer } from "../../../support/http-server";

const database = setupTestDatabase();
const TOKEN = "retry-test-token";
// From the real time: the route tests' handlers check the 24-hour window against the real clock,
// so a fixed date here closes every window once that date is a week old.
let clock = new Date(Math.floor(Date.now() / 1000) * 1000);
const later = (ms: number) => new Date(clock.getTime() + ms);
let standIn: TestServer;
let graph: GraphClient;
let inbox: Inbox;
let otherInbox: Inbox;
let agent: User;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inbox = await createInbox(db, { phoneNumberId: "1500000101" });
  otherInbox = await createInbox(db, { phoneNumberId: "1500000102" });
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

const ctx = () => ctxFor(database().handle.db, actorFor(agent), clock);
const drain = () => drainOutbox({ db: database().handle.db, graph, now: () => clock, random: () => 0.5 });

async function openConversation(inboxId = inbox.id): Promise<Conversation> {
  const { db } = database().handle;
  const contact = await createContact(db, inboxId);
  return createConversation(db, inboxId, { contactId: contact.id, windowExpiresAt: later(3600_000) });
}

/** A reply WhatsApp refused for good (131026: could not deliver). */
async function failedReply(conversation: Conversation, body = "Your parcel left the warehouse today.") {
  await setSimulatorFailure(database().handle.db, { kind: "graph_error", code: 131026, times: 1 }, clock);
  const message = await sendMessage({
    ctx: ctx(),
    input: { type: "text", conversationId: conversation.id, body },
  });
  await drain();
  const row = await messageRow(message.id);
  expect(row.status).toBe("failed");
  return row;
}

async function messageRow(id: string) {
  const [row] = await database().handle.db.select().from(messages).where(eq(messages.id, id));
  if (!row) throw new Error("message missing");
  return row;
}

/** What reached the Graph API stand-in for these messages. */
async function sendsOf(...messageIds: string[]) {
  const { db } = database().handle;
  const jobs = await db.select().from(outbox).where(inArray(outbox.messageId, messageIds));
  if (jobs.length === 0) return [];
  return db
    .select()
    .from(simulatorMessages)
    .where(
      inArray(
        simulatorMessages.idempotencyKey,
        jobs.map((job) => job.id),
      ),
    );
}

describe("retrying a failed send", () => {
  it("sends the same text again as a new message, once, and marks the failed one", async () => {
    const conversation = await openConversation();
    const failed = await failedReply(conversation);

    const resent = await retryMessage({
      ctx: ctx(),
      input: { conversationId: conversation.id, messageId: failed.id },
    });
    expect(resent).toMatchObject({ status: "queued", body: failed.body, direction: "outbound" });
    expect(resent.id).not.toBe(failed.id);
    expect((await messageRow(failed.id)).retriedByMessageId).toBe(resent.id);

    await drain();
    expect((await messageRow(resent.id)).status).toBe("sent");
    const sends = await sendsOf(failed.id, resent.id);
    expect(sends).toHaveLength(1);
    expect(sends[0]?.payload).toMatchObject({ type: "text", text: { body: failed.body } });
  });

  it("retries a failed message only once, even when two agents click at the same time", async () => {
    const conversation = await openConversation();
    const failed = await failedReply(conversation);
    const attempts = await Promise.allSettled(
      [0, 1].map(() =>
        retryMessage({ ctx: ctx(), input: { conversationId: conversation.id, messageId: failed.id } }),
      ),
    );
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(1);
    const rejected = attempts.find((attempt) => attempt.status === "rejected");
    expect(rejected?.reason).toMatchObject({
      code: "conflict",
      message: "That message has already been retried.",
    });

    const outbound = await database()
      .handle.db.select()
      .from(messages)
      .where(eq(messages.conversationId, conversation.id));
    expect(outbound).toHaveLength(2);
    await drain();
  });

  it("refuses to retry a message that did not fail", async () => {
    const conversation = await openConversation();
    const sent = await sendMessage({
      ctx: ctx(),
      input: { type: "text", conversationId: conversation.id, body: "Happy to help." },
    });
    await expect(
      retryMessage({ ctx: ctx(), input: { conversationId: conversation.id, messageId: sent.id } }),
    ).rejects.toMatchObject({ code: "conflict", message: "Only a failed send can be retried." });
    await drain();
  });

  it("checks the 24-hour window again: a closed window refuses the retry and keeps the failed message retryable", async () => {
    const conversation = await openConversation();
    const failed = await failedReply(conversation);
    clock = later(2 * 3600_000);
    await expect(
      retryMessage({ ctx: ctx(), input: { conversationId: conversation.id, messageId: failed.id } }),
    ).rejects.toMatchObject({ code: "policy_blocked" });
    expect((await messageRow(failed.id)).retriedByMessageId).toBeNull();
  });

  it("resends a template with its parameters", async () => {
    const { db } = database().handle;
    const [template] = await db
      .insert(templates)
      .values({
        inboxId: inbox.id,
        name: "order_update",
        language: "en",
        category: "utility",
        status: "approved",
        body: "Hello {{name}}, your order is on its way.",
        parameters: ["name"],
        parameterFormat: "named",
      })
      .returning();
    if (!template) throw new Error("template insert returned no row");
    const conversation = await openConversation();
    await setSimulatorFailure(db, { kind: "graph_error", code: 131026, times: 1 }, clock);
    const message = await sendMessage({
      ctx: ctx(),
      input: {
        type: "template",
        conversationId: conversation.id,
        templateId: template.id,
        parameters: { name: "Ada" },
      },
    });
    await drain();
    expect((await messageRow(message.id)).status).toBe("failed");

    const resent = await retryMessage({
      ctx: ctx(),
      input: { conversationId: conversation.id, messageId: message.id },
    });
    expect(resent).toMatchObject({ type: "template", body: "Hello Ada, your order is on its way." });
    await drain();
    const [send] = await sendsOf(resent.id);
    expect(send?.payload).toMatchObject({ type: "template", template: { name: "order_update" } });
  });
});

describe("POST /api/v1/conversations/:id/messages/:messageId/retry", () => {
  let account: TestAccount;
  let cookie: string;

  beforeAll(async () => {
    const { db } = database().handle;
    account = await createAccount(db, { role: "agent", inboxIds: [inbox.id] });
    cookie = await sessionCookie(account);
  });

  it("answers 201 with the new message, then 409 for a second retry", async () => {
    const conversation = await openConversation();
    const failed = await failedReply(conversation);
    const path = `/api/v1/conversations/${conversation.id}/messages/${failed.id}/retry`;
    const first = await retryRoute(
      apiRequest(path, { method: "POST", cookie }),
      params({ id: conversation.id, messageId: failed.id }),
    );
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ status: "queued", body: failed.body });

    const second = await retryRoute(
      apiRequest(path, { method: "POST", cookie }),
      params({ id: conversation.id, messageId: failed.id }),
    );
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({
      error: { code: "conflict", message: "That message has already been retried." },
    });
    await drain();
  });

  it("asks the sensitive-data guard again: 422 without confirmation, 201 with confirmSensitive in the body", async () => {
    const { db } = database().handle;
    const conversation = await openConversation();
    const [failed] = await db
      .insert(messages)
      .values({
        conversationId: conversation.id,
        inboxId: inbox.id,
        direction: "outbound",
        authorKind: "agent",
        authorId: agent.id,
        type: "text",
        body: "Please send me your password.",
        payload: {},
        status: "failed",
        createdAt: clock,
      })
      .returning();
    if (!failed) throw new Error("insert returned no row");
    const path = `/api/v1/conversations/${conversation.id}/messages/${failed.id}/retry`;
    const refused = await retryRoute(
      apiRequest(path, { method: "POST", cookie }),
      params({ id: conversation.id, messageId: failed.id }),
    );
    expect(refused.status).toBe(422);
    expect((await messageRow(failed.id)).retriedByMessageId).toBeNull();
    const confirmed = await retryRoute(
      apiRequest(path, { method: "POST", cookie, body: { confirmSensitive: true } }),
      params({ id: conversation.id, messageId: failed.id }),
    );
    expect(confirmed.status).toBe(201);
    await drain();
  });

  it("answers 404 for another inbox's message and 400 for a malformed id", async () => {
    const { db } = database().handle;
    const outsider = await createUser(db, { name: "Sam" });
    await addMember(db, otherInbox.id, outsider.id);
    const foreign = await openConversation(otherInbox.id);
    const [foreignFailed] = await db
      .insert(messages)
      .values({
        conversationId: foreign.id,
        inboxId: otherInbox.id,
        direction: "outbound",
        authorKind: "agent",
        authorId: outsider.id,
        type: "text",
        body: "Sent from the other inbox",
        payload: {},
        status: "failed",
        createdAt: clock,
      })
      .returning();
    if (!foreignFailed) throw new Error("insert returned no row");

    const notMine = await retryRoute(
      apiRequest(`/api/v1/conversations/${foreign.id}/messages/${foreignFailed.id}/retry`, {
        method: "POST",
        cookie,
      }),
      params({ id: foreign.id, messageId: foreignFailed.id }),
    );
    expect(notMine.status).toBe(404);
    expect((await messageRow(foreignFailed.id)).retriedByMessageId).toBeNull();

    const malformed = await retryRoute(
      apiRequest(`/api/v1/conversations/${foreign.id}/messages/nope/retry`, { method: "POST", cookie }),
      params({ id: foreign.id, messageId: "nope" }),
    );
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: "invalid_input", message: "messageId: messageId must be a UUID" },
    });
  });
});
