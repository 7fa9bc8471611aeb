import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addConversationLabel,
  addNote,
  assignConversation,
  countConversations,
  getConversation,
  listConversations,
  listMessages,
  removeConversationLabel,
  setConversationStatus,
} from "@/lib/domain/conversations";
import { ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/domain/errors";
import { createLabel, listLabels } from "@/lib/domain/labels";
import { listInboxMembers } from "@/lib/domain/inboxes/list-members";
import { auditLog, type Conversation, type Inbox, type User } from "@/lib/db/schema";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createContact,
  createConversation,
  createInbox,
  createMessage,
  createUser,
  ctxFor,
} from "../../../support/factories";

const database = setupTestDatabase();
const base = new Date("2026-11-20T09:00:00.000Z");
const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);

let support: Inbox;
let sales: Inbox;
let dana: User;
let sam: User;
let outsider: User;
let admin: User;

beforeAll(async () => {
  const { db } = database().handle;
  support = await createInbox(db, { name: "Support" });
  sales = await createInbox(db, { name: "Sales" });
  dana = await createUser(db, { name: "Dana Agent" });
  sam = await createUser(db, { name: "Sam Supervisor", role: "supervisor" });
  outsider = await createUser(db, { name: "Olly Outsider" });
  admin = await createUser(db, { name: "Ada Admin", role: "admin" });
  await addMember(db, support.id, dana.id);
  await addMember(db, support.id, sam.id);
  await addMember(db, sales.id, outsider.id);
});

describe("the conversation list", () => {
  let waitingLong: Conversation;
  let waitingShort: Conversation;
  let answeredRecent: Conversation;
  let answeredOld: Conversation;

  beforeAll(async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { name: "Ordering" });
    await addMember(db, inbox.id, dana.id);
    waitingShort = await createConversation(db, inbox.id, {
      waitingSince: at(50),
      lastMessageAt: at(50),
      unreadCount: 1,
    });
    answeredOld = await createConversation(db, inbox.id, { lastMessageAt: at(10) });
    waitingLong = await createConversation(db, inbox.id, {
      waitingSince: at(5),
      lastMessageAt: at(30),
      unreadCount: 2,
    });
    answeredRecent = await createConversation(db, inbox.id, { lastMessageAt: at(70), assigneeId: dana.id });
  });

  it("puts the longest-waiting customers first, then the rest by latest activity, across pages", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(dana));
    const [inboxId] = [waitingLong.inboxId];
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listConversations({ ctx, input: { inboxId, limit: 1, cursor } });
      ids.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual([waitingLong.id, waitingShort.id, answeredRecent.id, answeredOld.id]);

    const recent = await listConversations({ ctx, input: { inboxId, sort: "recent" } });
    expect(recent.items.map((c) => c.id)).toEqual([
      answeredRecent.id,
      waitingShort.id,
      waitingLong.id,
      answeredOld.id,
    ]);
  });

  it("counts each view and its unread conversations under the same filters", async () => {
    const { db } = database().handle;
    const counts = await countConversations({
      ctx: ctxFor(db, actorFor(dana)),
      input: { inboxId: waitingLong.inboxId },
    });
    expect(counts).toEqual({
      mine: { conversations: 1, unread: 0 },
      unassigned: { conversations: 3, unread: 2 },
      all: { conversations: 4, unread: 2 },
    });
  });

  it("searches by contact name, phone number and message text", async () => {
    const { db } = database().handle;
    const contact = await createContact(db, support.id, {
      profileName: "Maria Garcia",
      waId: "15551234567",
      phone: "+1 555 123 4567",
    });
    const maria = await createConversation(db, support.id, { contactId: contact.id });
    const other = await createConversation(db, support.id);
    await createMessage(db, other, { body: "My blender does not turn on" });
    const ctx = ctxFor(db, actorFor(dana));
    const search = async (q: string) =>
      (await listConversations({ ctx, input: { q } })).items.map((c) => c.id);

    expect(await search("garcia")).toEqual([maria.id]);
    expect(await search("555 123")).toEqual([maria.id]);
    expect(await search("BLENDER")).toEqual([other.id]);
    expect(await search("100%_")).toEqual([]);
  });

  it("never finds another inbox's conversation by searching", async () => {
    const { db } = database().handle;
    const contact = await createContact(db, sales.id, { profileName: "Secret Sales Lead" });
    await createConversation(db, sales.id, { contactId: contact.id });
    const page = await listConversations({ ctx: ctxFor(db, actorFor(dana)), input: { q: "Secret Sales" } });
    expect(page.items).toEqual([]);
  });
});

describe("assignment", () => {
  it("assigns to a teammate with a thread line and an audit row, and unassigns", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, support.id);
    const ctx = ctxFor(db, actorFor(dana), at(100));
    await expect(
      assignConversation({ ctx, input: { conversationId: conversation.id, assigneeId: sam.id } }),
    ).resolves.toMatchObject({
      assigneeId: sam.id,
    });
    // Repeating the same assignment changes nothing and adds no line.
    await assignConversation({ ctx, input: { conversationId: conversation.id, assigneeId: sam.id } });
    await assignConversation({
      ctx: ctxFor(db, actorFor(dana), at(101)),
      input: { conversationId: conversation.id, assigneeId: null },
    });

    const thread = await listMessages({ ctx, input: { conversationId: conversation.id } });
    expect(thread.events.map((e) => [e.kind, e.details])).toEqual([
      ["assigned", { by: "Dana Agent", to: "Sam Supervisor", toId: sam.id }],
      ["unassigned", { by: "Dana Agent", from: "Sam Supervisor" }],
    ]);
    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, conversation.id));
    expect(audit.map((a) => a.action)).toEqual(["conversation.assigned", "conversation.assigned"]);
  });

  it("refuses a teammate who is not in the conversation's inbox", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, support.id);
    await expect(
      assignConversation({
        ctx: ctxFor(db, actorFor(dana)),
        input: { conversationId: conversation.id, assigneeId: outsider.id },
      }),
    ).rejects.toThrow(InvalidInputError);
  });

  it("refuses a deactivated teammate", async () => {
    const { db } = database().handle;
    const leaver = await createUser(db, { name: "Leaver", status: "deactivated" });
    await addMember(db, support.id, leaver.id);
    const conversation = await createConversation(db, support.id);
    await expect(
      assignConversation({
        ctx: ctxFor(db, actorFor(dana)),
        input: { conversationId: conversation.id, assigneeId: leaver.id },
      }),
    ).rejects.toThrow(/deactivated/);
  });

  it("answers 404 for another inbox's conversation", async () => {
    const { db } = database().handle;
    const foreign = await createConversation(db, sales.id);
    await expect(
      assignConversation({
        ctx: ctxFor(db, actorFor(dana)),
        input: { conversationId: foreign.id, assigneeId: dana.id },
      }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe("a conversation and its thread", () => {
  it("returns the conversation with contact, inbox, assignee and labels", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, support.id, { assigneeId: dana.id });
    const detail = await getConversation({
      ctx: ctxFor(db, actorFor(sam)),
      input: { conversationId: conversation.id },
    });
    expect(detail).toMatchObject({
      id: conversation.id,
      inbox: { id: support.id, name: "Support" },
      assignee: { id: dana.id, name: "Dana Agent" },
      labels: [],
    });
    expect(detail.contact.name).toMatch(/^Customer /);
  });

  it("hides another inbox's conversation and its messages", async () => {
    const { db } = database().handle;
    const foreign = await createConversation(db, sales.id);
    const ctx = ctxFor(db, actorFor(dana));
    await expect(getConversation({ ctx, input: { conversationId: foreign.id } })).rejects.toThrow(
      NotFoundError,
    );
    await expect(listMessages({ ctx, input: { conversationId: foreign.id } })).rejects.toThrow(NotFoundError);
  });

  it("pages back through the thread with events in the matching range", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, support.id);
    for (let i = 0; i < 7; i += 1)
      await createMessage(db, conversation, { body: `message ${i}`, createdAt: at(i * 10) });
    const ctx = ctxFor(db, actorFor(dana), at(35));
    await setConversationStatus({ ctx, input: { conversationId: conversation.id, status: "pending" } });

    const latest = await listMessages({ ctx, input: { conversationId: conversation.id, limit: 3 } });
    expect(latest.messages.map((m) => m.body)).toEqual(["message 4", "message 5", "message 6"]);
    expect(latest.events).toEqual([]);
    const middle = await listMessages({
      ctx,
      input: { conversationId: conversation.id, limit: 3, before: latest.previousCursor ?? "" },
    });
    expect(middle.messages.map((m) => m.body)).toEqual(["message 1", "message 2", "message 3"]);
    expect(middle.events.map((e) => e.kind)).toEqual(["status_changed"]);
    const first = await listMessages({
      ctx,
      input: { conversationId: conversation.id, limit: 3, before: middle.previousCursor ?? "" },
    });
    expect(first.messages.map((m) => m.body)).toEqual(["message 0"]);
    expect(first.previousCursor).toBeNull();
  });
});

describe("labels", () => {
  it("lets an admin create labels and agents apply them, filterable in the list", async () => {
    const { db } = database().handle;
    const vip = await createLabel({
      ctx: ctxFor(db, actorFor(admin)),
      input: { name: "VIP", color: "amber" },
    });
    await expect(createLabel({ ctx: ctxFor(db, actorFor(admin)), input: { name: "vip" } })).rejects.toThrow(
      /already exists/,
    );
    await expect(createLabel({ ctx: ctxFor(db, actorFor(dana)), input: { name: "Mine" } })).rejects.toThrow(
      ForbiddenError,
    );
    expect((await listLabels({ ctx: ctxFor(db, actorFor(dana)) })).map((l) => l.name)).toContain("VIP");

    const conversation = await createConversation(db, support.id);
    const ctx = ctxFor(db, actorFor(dana));
    expect(
      await addConversationLabel({ ctx, input: { conversationId: conversation.id, labelId: vip.id } }),
    ).toEqual({ changed: true });
    expect(
      await addConversationLabel({ ctx, input: { conversationId: conversation.id, labelId: vip.id } }),
    ).toEqual({ changed: false });
    const labelled = await listConversations({ ctx, input: { labelId: vip.id } });
    expect(labelled.items.map((c) => c.id)).toEqual([conversation.id]);

    await removeConversationLabel({ ctx, input: { conversationId: conversation.id, labelId: vip.id } });
    expect((await listConversations({ ctx, input: { labelId: vip.id } })).items).toEqual([]);
    const thread = await listMessages({ ctx, input: { conversationId: conversation.id } });
    expect(thread.events.map((e) => [e.kind, e.details.label])).toEqual([
      ["label_added", "VIP"],
      ["label_removed", "VIP"],
    ]);
  });
});

describe("private notes", () => {
  it("adds a note to the thread that is marked private and never queued for WhatsApp", async () => {
    const { db } = database().handle;
    const conversation = await createConversation(db, support.id);
    const ctx = ctxFor(db, actorFor(dana), at(200));
    const note = await addNote({
      ctx,
      input: { conversationId: conversation.id, body: "  Call back after 3 pm  " },
    });
    expect(note).toMatchObject({
      isPrivateNote: true,
      type: "note",
      body: "Call back after 3 pm",
      authorId: dana.id,
      wamid: null,
    });
    const thread = await listMessages({ ctx, input: { conversationId: conversation.id } });
    expect(thread.messages.map((m) => m.id)).toEqual([note.id]);
  });

  it("refuses an empty note and another inbox's conversation", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(dana));
    const own = await createConversation(db, support.id);
    await expect(addNote({ ctx, input: { conversationId: own.id, body: "   " } })).rejects.toThrow(
      "A note cannot be empty.",
    );
    const foreign = await createConversation(db, sales.id);
    await expect(addNote({ ctx, input: { conversationId: foreign.id, body: "hi" } })).rejects.toThrow(
      NotFoundError,
    );
  });
});

describe("inbox members", () => {
  it("lists the active teammates of an inbox the actor belongs to, and hides other inboxes", async () => {
    const { db } = database().handle;
    const members = await listInboxMembers({
      ctx: ctxFor(db, actorFor(dana)),
      input: { inboxId: support.id },
    });
    expect(members.map((m) => m.name)).toEqual(["Dana Agent", "Sam Supervisor"]);
    await expect(
      listInboxMembers({ ctx: ctxFor(db, actorFor(dana)), input: { inboxId: sales.id } }),
    ).rejects.toThrow(NotFoundError);
  });
});
