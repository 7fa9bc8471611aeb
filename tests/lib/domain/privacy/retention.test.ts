import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  auditLog,
  conversations,
  messageOriginals,
  messages,
  retentionRuns,
  slaEvents,
  type Conversation,
  type Inbox,
  type User,
} from "@/lib/db/schema";
import { ForbiddenError } from "@/lib/domain/errors";
import {
  getPrivacyOverview,
  runRetention,
  runRetentionNow,
  updatePrivacySettings,
} from "@/lib/domain/privacy";
import { reviewBreach } from "@/lib/domain/sla";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createConversation,
  createInbox,
  createMessage,
  createUser,
  ctxFor,
} from "../../../support/factories";

const database = setupTestDatabase();
const now = new Date("2026-11-20T03:00:00.000Z");
const day = 86_400_000;

let inbox: Inbox;
let admin: User;
let supervisor: User;

beforeAll(async () => {
  const { db } = database().handle;
  inbox = await createInbox(db);
  admin = await createUser(db, { role: "admin" });
  supervisor = await createUser(db, { role: "supervisor" });
});

const as = (user: User) => ctxFor(database().handle.db, actorFor(user), now);

async function conversationResolved(daysAgo: number | null, texts = ["Customer words", "Agent words"]) {
  const { db } = database().handle;
  const conversation = await createConversation(db, inbox.id, {
    status: daysAgo === null ? "open" : "resolved",
    resolvedAt: daysAgo === null ? null : new Date(now.getTime() - daysAgo * day),
    lastMessagePreview: texts.at(-1),
  });
  for (const body of texts) await createMessage(db, conversation, { body, payload: { text: { body } } });
  return conversation;
}

describe("the retention sweeper", () => {
  it("does nothing but record its run while no retention period is set", async () => {
    const old = await conversationResolved(4000);
    const run = await runRetention({ db: database().handle.db, now });
    expect(run).toMatchObject({
      retentionDays: null,
      conversationsRedacted: 0,
      messagesRedacted: 0,
      error: null,
    });
    const kept = await database()
      .handle.db.select()
      .from(messages)
      .where(eq(messages.conversationId, old.id));
    expect(kept.every((row) => row.body !== null)).toBe(true);
  });

  it("redacts resolved conversations older than the period in bounded batches, keeping rows and timestamps", async () => {
    const { db } = database().handle;
    await updatePrivacySettings({ ctx: as(admin), input: { retentionDays: 365 } });
    const due = [];
    for (let index = 0; index < 5; index += 1) due.push(await conversationResolved(366 + index));
    const recent = await conversationResolved(30);
    const open = await conversationResolved(null);
    const [oneMessage] = await db.select().from(messages).where(eq(messages.conversationId, due[0]!.id));
    await db.insert(messageOriginals).values({
      messageId: oneMessage!.id,
      body: "secret original",
      expiresAt: new Date(now.getTime() + 7 * day),
    });

    const run = await runRetention({ db, now, batchSize: 2 });
    // The 4000-day-old one from the first test counts too: 6 conversations, 12 messages, in 3 batches.
    expect(run).toMatchObject({
      retentionDays: 365,
      conversationsRedacted: 6,
      messagesRedacted: 12,
      originalsDeleted: 1,
      batches: 3,
      error: null,
    });
    const ids = due.map((row) => row.id);
    const redacted = await db.select().from(messages).where(inArray(messages.conversationId, ids));
    expect(redacted).toHaveLength(10);
    expect(
      redacted.every((row) => row.body === null && row.payload === null && row.redactedAt !== null),
    ).toBe(true);
    expect(redacted.every((row) => row.createdAt instanceof Date)).toBe(true);
    const convs = await db.select().from(conversations).where(inArray(conversations.id, ids));
    expect(convs.every((row) => row.lastMessagePreview === null && row.contentsRedactedAt !== null)).toBe(
      true,
    );
    for (const kept of [recent, open]) {
      const rows = await db.select().from(messages).where(eq(messages.conversationId, kept.id));
      expect(rows.map((row) => row.body).sort()).toEqual(["Agent words", "Customer words"]);
    }

    // A second run finds nothing left to do.
    const again = await runRetention({ db, now, batchSize: 2 });
    expect(again).toMatchObject({ conversationsRedacted: 0, batches: 0 });
  });

  it("stops at the batch limit of one run and continues in the next", async () => {
    const { db } = database().handle;
    for (let index = 0; index < 3; index += 1) await conversationResolved(400);
    const first = await runRetention({ db, now, batchSize: 1, maxBatches: 2 });
    expect(first).toMatchObject({ conversationsRedacted: 2, batches: 2 });
    const second = await runRetention({ db, now, batchSize: 1, maxBatches: 2 });
    expect(second).toMatchObject({ conversationsRedacted: 1, batches: 1 });
  });

  it("removes breach-review notes of the conversations it redacts, keeping who reviewed them, when and why", async () => {
    const { db } = database().handle;
    await addMember(db, inbox.id, supervisor.id);
    const reviewedWithNote = async (conversation: Conversation, note: string) => {
      const [clock] = await db
        .insert(slaEvents)
        .values({
          conversationId: conversation.id,
          inboxId: inbox.id,
          kind: "first_response",
          startedAt: new Date(now.getTime() - 500 * day),
          clockStartedAt: new Date(now.getTime() - 500 * day),
          dueAt: new Date(now.getTime() - 499 * day),
          atRiskAt: new Date(now.getTime() - 499 * day - 7_200_000),
          targetMinutes: 1440,
          clock: "business_hours",
          breachedAt: new Date(now.getTime() - 499 * day),
        })
        .returning();
      if (!clock) throw new Error("clock not inserted");
      await reviewBreach({
        ctx: as(supervisor),
        input: { slaEventId: clock.id, reason: "customer_delay", note },
      });
      return clock.id;
    };
    const auditOf = async (slaEventId: string) =>
      (
        await db
          .select({ details: auditLog.details })
          .from(auditLog)
          .where(and(eq(auditLog.targetType, "sla_event"), eq(auditLog.targetId, slaEventId)))
      )[0]?.details;
    const old = await reviewedWithNote(
      await conversationResolved(400),
      "Mrs Alvarez sent her card number twice",
    );
    const recent = await reviewedWithNote(await conversationResolved(30), "Mr Okafor waited for the courier");

    await runRetention({ db, now });

    const [cleared] = await db.select().from(slaEvents).where(eq(slaEvents.id, old));
    expect(cleared).toMatchObject({
      reviewNote: null,
      reviewReason: "customer_delay",
      reviewedBy: supervisor.id,
      reviewedAt: now,
      breachedAt: new Date(now.getTime() - 499 * day),
    });
    expect(await auditOf(old)).toEqual({ conversationId: cleared?.conversationId, reason: "customer_delay" });
    // Conversations inside the period keep the note, in the row and in the audit trail.
    const [kept] = await db.select().from(slaEvents).where(eq(slaEvents.id, recent));
    expect(kept?.reviewNote).toBe("Mr Okafor waited for the courier");
    expect(await auditOf(recent)).toMatchObject({ note: "Mr Okafor waited for the courier" });
  });

  it("deletes originals of masked secrets once they expire", async () => {
    const { db } = database().handle;
    const conversation = await conversationResolved(null);
    const [message] = await db.select().from(messages).where(eq(messages.conversationId, conversation.id));
    await db
      .insert(messageOriginals)
      .values({ messageId: message!.id, body: "x", expiresAt: new Date(now.getTime() - 1) });
    const run = await runRetention({ db, now });
    expect(run.originalsDeleted).toBe(1);
  });

  it("is shown and run from /admin/privacy by admins only; bad settings are refused", async () => {
    await expect(getPrivacyOverview({ ctx: as(supervisor) })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runRetentionNow({ ctx: as(supervisor) })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updatePrivacySettings({ ctx: as(admin), input: { retentionDays: 0 } })).rejects.toThrow(
      /retentionDays must be at least 1/,
    );
    await expect(
      updatePrivacySettings({ ctx: as(admin), input: { retentionDays: "soon" as unknown as number } }),
    ).rejects.toThrow(/retentionDays must be a whole number/);
    await runRetentionNow({ ctx: as(admin) });
    const overview = await getPrivacyOverview({ ctx: as(admin) });
    expect(overview.settings.retentionDays).toBe(365);
    const runs = await database().handle.db.select().from(retentionRuns);
    expect(overview.runs).toHaveLength(runs.length);
  });
});
