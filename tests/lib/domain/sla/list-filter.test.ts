import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Database } from "@/lib/db";
import type { Conversation, Inbox, User } from "@/lib/db/schema";
import {
  countConversations,
  getConversation,
  listConversations,
  type ListConversationsInput,
} from "@/lib/domain/conversations";
import { onAgentReply, onCustomerMessage } from "@/lib/domain/sla";
import { markBreaches } from "@/lib/domain/sla/breaches";
import { unparsed } from "@/lib/http/route";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createConversation,
  createInbox,
  createUser,
  ctxFor,
} from "../../../support/factories";
import { at } from "../../../support/sla";

const database = setupTestDatabase();
// Wednesday 2026-03-04 15:00 in London.
const now = at("2026-03-04T15:00:00Z");

let inbox: Inbox;
let dana: User;
const named: Record<string, Conversation> = {};

async function withClock(db: Database, name: string, arrivedAt: Date | null, assigneeId?: string) {
  const conversation = await createConversation(db, inbox.id, { assigneeId });
  if (arrivedAt) {
    await db.transaction((tx) =>
      onCustomerMessage(tx, { conversationId: conversation.id, inboxId: inbox.id, arrivedAt }),
    );
  }
  named[name] = conversation;
  return conversation;
}

beforeAll(async () => {
  const { db } = database().handle;
  inbox = await createInbox(db, { timeZone: "Europe/London" });
  dana = await createUser(db, { name: "Dana" });
  await addMember(db, inbox.id, dana.id);
  await withClock(db, "on track", at("2026-03-03T10:00:00Z"), dana.id);
  await withClock(db, "on track too", at("2026-03-04T10:00:00Z"));
  // Due today 16:00: at risk after 14:00.
  await withClock(db, "at risk", at("2026-03-02T10:00:00Z"), dana.id);
  // Due Monday 16:00, marked by the ticker; and due Tuesday 16:00, not yet marked.
  await withClock(db, "breached", at("2026-02-26T10:00:00Z"));
  await db.transaction((tx) => markBreaches(tx, { now: at("2026-03-03T09:00:00Z") }));
  await withClock(db, "breached, unmarked", at("2026-02-27T10:00:00Z"), dana.id);
  // Answered: no clock.
  const answered = await withClock(db, "answered", at("2026-03-04T09:00:00Z"));
  await db.transaction((tx) =>
    onAgentReply(tx, { conversationId: answered.id, at: at("2026-03-04T09:10:00Z"), authorId: dana.id }),
  );
  await withClock(db, "never written", null);
});

async function namesFor(sla: "on_track" | "at_risk" | "breached") {
  const { db } = database().handle;
  const page = await listConversations({
    ctx: ctxFor(db, actorFor(dana), now),
    input: { inboxId: inbox.id, sla },
  });
  const byId = new Map(Object.entries(named).map(([name, conversation]) => [conversation.id, name]));
  return page.items.map((item) => byId.get(item.id)).sort();
}

describe("the conversation list's SLA filter", () => {
  it("finds conversations by the state of their running clock at this moment", async () => {
    expect(await namesFor("on_track")).toEqual(["on track", "on track too"]);
    expect(await namesFor("at_risk")).toEqual(["at risk"]);
    // Past due counts as breached whether or not the ticker has got to it yet.
    expect(await namesFor("breached")).toEqual(["breached", "breached, unmarked"]);
  });

  it("moves a conversation from at risk to breached as time passes, without any write", async () => {
    const { db } = database().handle;
    const later = ctxFor(db, actorFor(dana), at("2026-03-04T16:00:01Z"));
    const page = await listConversations({ ctx: later, input: { inboxId: inbox.id, sla: "breached" } });
    expect(page.items.map((item) => item.id)).toContain(named["at risk"]?.id);
  });

  it("counts each view under the filter", async () => {
    const { db } = database().handle;
    const counts = await countConversations({
      ctx: ctxFor(db, actorFor(dana), now),
      input: { inboxId: inbox.id, sla: "breached" },
    });
    expect(counts.all?.conversations).toBe(2);
    expect(counts.mine?.conversations).toBe(1);
    expect(counts.unassigned?.conversations).toBe(1);
  });

  it("returns each item's clock for the badge, and the detail carries it too", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(dana), now);
    const page = await listConversations({ ctx, input: { inboxId: inbox.id, sla: "breached" } });
    const marked = page.items.find((item) => item.id === named["breached"]?.id);
    expect(marked?.sla).toEqual({
      kind: "first_response",
      startedAt: at("2026-02-26T10:00:00Z"),
      dueAt: at("2026-03-02T16:00:00Z"),
      atRiskAt: at("2026-03-02T14:00:00Z"),
      breachedAt: at("2026-03-03T09:00:00Z"),
    });
    const detail = await getConversation({ ctx, input: { conversationId: named["at risk"]?.id ?? "" } });
    expect(detail.sla?.dueAt).toEqual(at("2026-03-04T16:00:00Z"));
    const none = await getConversation({ ctx, input: { conversationId: named["answered"]?.id ?? "" } });
    expect(none.sla).toBeNull();
  });

  it("refuses an unknown state with a readable message", async () => {
    const { db } = database().handle;
    const error: unknown = await listConversations({
      ctx: ctxFor(db, actorFor(dana), now),
      input: unparsed<ListConversationsInput>({ sla: "late" }),
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ZodError);
    expect(error instanceof ZodError ? error.issues[0]?.message : "").toBe(
      "sla must be on_track, at_risk or breached",
    );
  });
});
