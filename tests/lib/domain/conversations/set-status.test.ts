import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { setConversationStatus } from "@/lib/domain/conversations";
import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { auditLog, conversations, type Inbox, type User } from "@/lib/db/schema";
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
const now = new Date("2026-11-20T12:00:00.000Z");

let support: Inbox;
let sales: Inbox;
let agent: User;

beforeAll(async () => {
  const { db } = database().handle;
  support = await createInbox(db);
  sales = await createInbox(db);
  agent = await createUser(db, { name: "Dana" });
  await addMember(db, support.id, agent.id);
});

describe("setConversationStatus", () => {
  it("resolves a conversation and records who did it", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, support.id);
    const updated = await setConversationStatus({
      ctx: ctxFor(db, actorFor(agent), now),
      input: { conversationId: conversation.id, status: "resolved" },
    });
    expect(updated.status).toBe("resolved");
    expect(updated.resolvedAt).toEqual(now);

    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, conversation.id), eq(auditLog.action, "conversation.status_changed")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: agent.id,
      actorKind: "user",
      details: { from: "open", to: "resolved" },
    });
  });

  it("reopens a resolved conversation", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, support.id, { status: "resolved", resolvedAt: now });
    const updated = await setConversationStatus({
      ctx: ctxFor(db, actorFor(agent), now),
      input: { conversationId: conversation.id, status: "open" },
    });
    expect(updated).toMatchObject({ status: "open", resolvedAt: null });
  });

  it("treats another inbox's conversation as not found and changes nothing", async () => {
    const { db } = database().handle;
    const foreign = await createConversation(db, sales.id);
    await expect(
      setConversationStatus({
        ctx: ctxFor(db, actorFor(agent), now),
        input: { conversationId: foreign.id, status: "resolved" },
      }),
    ).rejects.toThrow(NotFoundError);
    const [row] = await db.select().from(conversations).where(eq(conversations.id, foreign.id));
    expect(row?.status).toBe("open");
    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, foreign.id));
    expect(audit).toHaveLength(0);
  });

  it("says so when the conversation already has that status", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, support.id, { status: "pending" });
    await expect(
      setConversationStatus({
        ctx: ctxFor(db, actorFor(agent), now),
        input: { conversationId: conversation.id, status: "pending" },
      }),
    ).rejects.toThrow(ConflictError);
  });

  it("refuses to reopen when the customer already has another open conversation", async () => {
    const { db } = database().handle;
    const open = await createConversation(db, support.id);
    const old = await createConversation(db, support.id, { contactId: open.contactId, status: "resolved" });
    await expect(
      setConversationStatus({
        ctx: ctxFor(db, actorFor(agent), now),
        input: { conversationId: old.id, status: "open" },
      }),
    ).rejects.toThrow(/another open conversation/);
    const [row] = await db.select().from(conversations).where(eq(conversations.id, old.id));
    expect(row?.status).toBe("resolved");
  });

  it("refuses malformed input before touching the database", async () => {
    const { db } = database().handle;
    await expect(
      setConversationStatus({
        ctx: ctxFor(db, actorFor(agent), now),
        input: { conversationId: "42", status: "closed" as "open" },
      }),
    ).rejects.toThrow(/conversationId must be a UUID/);
  });
});
