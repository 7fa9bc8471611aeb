import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { conversations, slaEvents, type Conversation, type Inbox, type User } from "@/lib/db/schema";
import {
  addNote,
  getConversation,
  listConversations,
  setConversationStatus,
} from "@/lib/domain/conversations";
import { onAgentReply, onConversationResolved, onCustomerMessage } from "@/lib/domain/sla";
import { at } from "../../../support/sla";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createConversation,
  createInbox,
  createUser,
  ctxFor,
} from "../../../support/factories";

const database = setupTestDatabase();

// Europe/London, Monday to Friday 09:00–18:00 (the default calendar), 24 business hours.
// 2026-03-02 is a Monday; London is on GMT (UTC+0) until 29 March.
let inbox: Inbox;
let dana: User;

beforeAll(async () => {
  const { db } = database().handle;
  inbox = await createInbox(db, { name: "Support", timeZone: "Europe/London" });
  dana = await createUser(db, { name: "Dana Agent" });
  await addMember(db, inbox.id, dana.id);
});

function customerWrites(db: Database, conversation: Conversation, arrivedAt: Date) {
  return db.transaction((tx) =>
    onCustomerMessage(tx, { conversationId: conversation.id, inboxId: conversation.inboxId, arrivedAt }),
  );
}

function agentReplies(db: Database, conversation: Conversation, repliedAt: Date, author: User = dana) {
  return db.transaction((tx) =>
    onAgentReply(tx, { conversationId: conversation.id, at: repliedAt, authorId: author.id }),
  );
}

async function clocksOf(db: Database, conversation: Conversation) {
  return db
    .select()
    .from(slaEvents)
    .where(eq(slaEvents.conversationId, conversation.id))
    .orderBy(slaEvents.startedAt);
}

async function runningClock(db: Database, conversation: Conversation) {
  const [row] = await db
    .select()
    .from(slaEvents)
    .where(
      and(
        eq(slaEvents.conversationId, conversation.id),
        isNull(slaEvents.metAt),
        isNull(slaEvents.stoppedAt),
      ),
    );
  return row;
}

async function reload(db: Database, conversation: Conversation) {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
  if (!row) throw new Error("conversation vanished");
  return row;
}

describe("the first-response clock", () => {
  it("starts when a customer message opens a conversation, due 24 business hours later", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    const change = await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));

    expect(change?.what).toBe("started");
    // Monday 10:00 + 8 h (to 18:00) + 9 h Tuesday + 7 h Wednesday = Wednesday 16:00.
    expect(change?.clock).toMatchObject({
      kind: "first_response",
      startedAt: at("2026-03-02T10:00:00Z"),
      dueAt: at("2026-03-04T16:00:00Z"),
      // At risk with under 2 business hours left: after Wednesday 14:00.
      atRiskAt: at("2026-03-04T14:00:00Z"),
      breachedAt: null,
    });
    const row = await reload(db, conversation);
    expect(row).toMatchObject({
      slaKind: "first_response",
      slaStartedAt: at("2026-03-02T10:00:00Z"),
      slaDueAt: at("2026-03-04T16:00:00Z"),
      slaAtRiskAt: at("2026-03-04T14:00:00Z"),
      slaBreachedAt: null,
    });
  });

  it("starts counting at the next opening for a message that arrives outside business hours", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    // Saturday afternoon: the clock starts Monday 09:00 and is due Wednesday 15:00.
    const change = await customerWrites(db, conversation, at("2026-03-07T15:00:00Z"));
    expect(change?.clock?.startedAt).toEqual(at("2026-03-09T09:00:00Z"));
    expect(change?.clock?.dueAt).toEqual(at("2026-03-11T15:00:00Z"));
    const [clock] = await clocksOf(db, conversation);
    expect(clock?.startedAt).toEqual(at("2026-03-07T15:00:00Z"));
  });

  it("keeps running, unchanged, when the customer writes again before anyone replies", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    expect(await customerWrites(db, conversation, at("2026-03-02T10:05:00Z"))).toBeNull();
    const clocks = await clocksOf(db, conversation);
    expect(clocks).toHaveLength(1);
    expect(clocks[0]?.dueAt).toEqual(at("2026-03-04T16:00:00Z"));
  });

  it("is met by the first agent reply, which records who answered and how fast", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    const change = await agentReplies(db, conversation, at("2026-03-02T11:30:00Z"));

    expect(change?.what).toBe("met");
    expect(change?.clock).toBeNull();
    const [clock] = await clocksOf(db, conversation);
    expect(clock).toMatchObject({
      metAt: at("2026-03-02T11:30:00Z"),
      metBy: dana.id,
      responseMinutes: 90,
      breachedAt: null,
      stoppedAt: null,
    });
    const row = await reload(db, conversation);
    expect(row).toMatchObject({ slaKind: null, slaDueAt: null, slaAtRiskAt: null, slaBreachedAt: null });
    expect(row.slaRepliedAt).toEqual(at("2026-03-02T11:30:00Z"));
  });

  it("counts response time in business minutes: a Friday-evening message answered Monday 09:20 took 20", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-06T19:00:00Z"));
    await agentReplies(db, conversation, at("2026-03-09T09:20:00Z"));
    const [clock] = await clocksOf(db, conversation);
    expect(clock?.responseMinutes).toBe(20);
  });

  it("is not met by a private note: the clock still runs after addNote", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    await addNote({
      ctx: ctxFor(db, actorFor(dana), at("2026-03-02T10:10:00Z")),
      input: { conversationId: conversation.id, body: "Checking the order with the warehouse." },
    });

    expect(await runningClock(db, conversation)).toMatchObject({ kind: "first_response", metAt: null });
    const detail = await getConversation({
      ctx: ctxFor(db, actorFor(dana), at("2026-03-02T10:10:00Z")),
      input: { conversationId: conversation.id },
    });
    expect(detail.sla).toMatchObject({ kind: "first_response", dueAt: at("2026-03-04T16:00:00Z") });
  });

  it("is not met by a reply written before the customer's message arrived", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    expect(await agentReplies(db, conversation, at("2026-03-02T09:59:00Z"))).toBeNull();
    expect(await runningClock(db, conversation)).toBeDefined();
  });

  it("records a late reply as a breach when the ticker has not marked it yet", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    await agentReplies(db, conversation, at("2026-03-04T16:30:00Z"));
    const [clock] = await clocksOf(db, conversation);
    expect(clock?.metAt).toEqual(at("2026-03-04T16:30:00Z"));
    expect(clock?.breachedAt).toEqual(at("2026-03-04T16:30:00Z"));
  });

  it("treats a reply exactly at the deadline as on time", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    await agentReplies(db, conversation, at("2026-03-04T16:00:00Z"));
    const [clock] = await clocksOf(db, conversation);
    expect(clock?.breachedAt).toBeNull();
  });

  it("starts once when two customer messages arrive at the same moment", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    const results = await Promise.all([
      customerWrites(db, conversation, at("2026-03-02T10:00:00Z")),
      customerWrites(db, conversation, at("2026-03-02T10:00:00Z")),
    ]);
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    expect(await clocksOf(db, conversation)).toHaveLength(1);
  });
});

describe("the next-response clock", () => {
  it("starts at a customer message after the business replied, and is met by the next reply", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    await agentReplies(db, conversation, at("2026-03-02T10:30:00Z"));

    const next = await customerWrites(db, conversation, at("2026-03-02T11:00:00Z"));
    expect(next?.clock).toMatchObject({
      kind: "next_response",
      startedAt: at("2026-03-02T11:00:00Z"),
      // 7 h Monday + 9 h Tuesday + 8 h Wednesday.
      dueAt: at("2026-03-04T17:00:00Z"),
    });
    expect((await reload(db, conversation)).slaKind).toBe("next_response");

    await agentReplies(db, conversation, at("2026-03-02T11:05:00Z"));
    const clocks = await clocksOf(db, conversation);
    expect(clocks.map((clock) => [clock.kind, clock.responseMinutes])).toEqual([
      ["first_response", 30],
      ["next_response", 5],
    ]);
    expect(await runningClock(db, conversation)).toBeUndefined();
  });

  it("is not started by a reply alone: replying with no customer waiting changes no clock", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    expect(await agentReplies(db, conversation, at("2026-03-02T10:00:00Z"))).toBeNull();
    expect(await clocksOf(db, conversation)).toHaveLength(0);
    // The business spoke first, so the customer's answer is owed a next response.
    const change = await customerWrites(db, conversation, at("2026-03-02T10:20:00Z"));
    expect(change?.clock?.kind).toBe("next_response");
  });
});

describe("resolving and reopening", () => {
  it("resolving stops the running clock without meeting or breaching it", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    await agentReplies(db, conversation, at("2026-03-02T10:30:00Z"));
    await customerWrites(db, conversation, at("2026-03-02T10:35:00Z"));

    const resolved = await setConversationStatus({
      ctx: ctxFor(db, actorFor(dana), at("2026-03-02T10:40:00Z")),
      input: { conversationId: conversation.id, status: "resolved" },
    });
    expect(resolved).toMatchObject({ status: "resolved", slaKind: null, slaDueAt: null, slaRepliedAt: null });
    const clocks = await clocksOf(db, conversation);
    expect(clocks[1]).toMatchObject({
      kind: "next_response",
      stoppedAt: at("2026-03-02T10:40:00Z"),
      metAt: null,
      breachedAt: null,
    });
  });

  it("a customer message after resolution starts a first-response clock again", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    const agent = ctxFor(db, actorFor(dana), at("2026-03-02T10:40:00Z"));
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    await agentReplies(db, conversation, at("2026-03-02T10:30:00Z"));
    await setConversationStatus({
      ctx: agent,
      input: { conversationId: conversation.id, status: "resolved" },
    });

    // The ingest reopens the conversation and reports the message.
    await setConversationStatus({
      ctx: ctxFor(db, { kind: "system", reason: "inbound message" }, at("2026-03-03T09:00:00Z")),
      input: { conversationId: conversation.id, status: "open" },
    });
    const change = await customerWrites(db, conversation, at("2026-03-03T09:00:00Z"));
    expect(change?.clock).toMatchObject({ kind: "first_response", startedAt: at("2026-03-03T09:00:00Z") });
  });

  it("reopening by an agent starts no clock: only a customer message does", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    await setConversationStatus({
      ctx: ctxFor(db, actorFor(dana), at("2026-03-02T10:10:00Z")),
      input: { conversationId: conversation.id, status: "resolved" },
    });
    await setConversationStatus({
      ctx: ctxFor(db, actorFor(dana), at("2026-03-02T10:20:00Z")),
      input: { conversationId: conversation.id, status: "open" },
    });
    expect(await runningClock(db, conversation)).toBeUndefined();
    expect((await reload(db, conversation)).slaDueAt).toBeNull();
  });

  it("resolving after the deadline without a reply records the breach for review", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    const change = await db.transaction((tx) =>
      onConversationResolved(tx, { conversationId: conversation.id, at: at("2026-03-05T10:00:00Z") }),
    );
    expect(change?.what).toBe("stopped");
    const [clock] = await clocksOf(db, conversation);
    expect(clock).toMatchObject({
      stoppedAt: at("2026-03-05T10:00:00Z"),
      breachedAt: at("2026-03-05T10:00:00Z"),
      metAt: null,
    });
  });

  it("the list shows the running clock and drops it once met", async () => {
    const { db } = database().handle;
    const own = await createInbox(db, { timeZone: "Europe/London" });
    await addMember(db, own.id, dana.id);
    const conversation = await createConversation(db, own.id);
    await customerWrites(db, conversation, at("2026-03-02T10:00:00Z"));
    const ctx = ctxFor(db, actorFor(dana), at("2026-03-02T10:10:00Z"));
    const before = await listConversations({ ctx, input: { inboxId: own.id } });
    expect(before.items[0]?.sla).toEqual({
      kind: "first_response",
      startedAt: at("2026-03-02T10:00:00Z"),
      dueAt: at("2026-03-04T16:00:00Z"),
      atRiskAt: at("2026-03-04T14:00:00Z"),
      breachedAt: null,
    });
    await agentReplies(db, conversation, at("2026-03-02T10:15:00Z"));
    const after = await listConversations({ ctx, input: { inboxId: own.id } });
    expect(after.items[0]?.sla).toBeNull();
  });
});
