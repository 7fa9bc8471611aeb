import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import { auditLog, slaEvents, type Inbox, type User } from "@/lib/db/schema";
import { assignConversation } from "@/lib/domain/conversations";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/domain/errors";
import {
  listBreachesForReview,
  listSlaBoard,
  onAgentReply,
  onCustomerMessage,
  reviewBreach,
} from "@/lib/domain/sla";
import { markBreaches } from "@/lib/domain/sla/breaches";
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
import { at } from "../../../support/sla";

const database = setupTestDatabase();

// Europe/London, Monday to Friday 09:00–18:00, 24 business hours. "Now" is Wednesday 2026-03-04 15:00.
const now = at("2026-03-04T15:00:00Z");

let support: Inbox;
let sales: Inbox;
let sam: User;
let dana: User;
let olly: User;
const conversationOf: Record<string, string> = {};

async function clock(db: Database, inbox: Inbox, name: string, arrivedAt: Date, assigneeId?: string) {
  const contact = await createContact(db, inbox.id, { profileName: name });
  const conversation = await createConversation(db, inbox.id, { contactId: contact.id, assigneeId });
  await db.transaction((tx) =>
    onCustomerMessage(tx, { conversationId: conversation.id, inboxId: inbox.id, arrivedAt }),
  );
  conversationOf[name] = conversation.id;
  return conversation;
}

async function slaEventOf(db: Database, name: string) {
  const [row] = await db
    .select()
    .from(slaEvents)
    .where(eq(slaEvents.conversationId, conversationOf[name] ?? ""));
  if (!row) throw new Error(`no clock for ${name}`);
  return row;
}

beforeAll(async () => {
  const { db } = database().handle;
  support = await createInbox(db, { name: "Support", timeZone: "Europe/London" });
  sales = await createInbox(db, { name: "Sales", timeZone: "Europe/London" });
  sam = await createUser(db, { name: "Sam Supervisor", role: "supervisor" });
  dana = await createUser(db, { name: "Dana Agent" });
  olly = await createUser(db, { name: "Olly Other", role: "supervisor" });
  await addMember(db, support.id, sam.id);
  await addMember(db, support.id, dana.id);
  await addMember(db, sales.id, olly.id);

  // On track: due Thursday. At risk: due today 16:00 (1 h left). Breached: due Tuesday 16:00 and Monday 16:00.
  await clock(db, support, "Olivia OnTrack", at("2026-03-03T10:00:00Z"), dana.id);
  await clock(db, support, "Ravi AtRisk", at("2026-03-02T10:00:00Z"), dana.id);
  await clock(db, support, "Bea Breached", at("2026-02-27T10:00:00Z"));
  await clock(db, support, "Omar Older", at("2026-02-26T10:00:00Z"), dana.id);
  // Answered late: breached, no longer running, still to review.
  await clock(db, support, "Lena Late", at("2026-02-26T11:00:00Z"));
  await db.transaction((tx) =>
    onAgentReply(tx, {
      conversationId: conversationOf["Lena Late"] ?? "",
      at: at("2026-03-04T14:30:00Z"),
      authorId: dana.id,
    }),
  );
  // Another inbox's breach.
  await clock(db, sales, "Sol Sales", at("2026-02-26T10:00:00Z"));
  await db.transaction((tx) => markBreaches(tx, { now: at("2026-03-03T09:00:00Z") }));
  await db.transaction((tx) => markBreaches(tx, { now }));
});

describe("the SLA board", () => {
  it("lists at-risk and breached clocks in the supervisor's inboxes, most urgent first, with who holds them", async () => {
    const { db } = database().handle;
    const board = await listSlaBoard({ ctx: ctxFor(db, actorFor(sam), now), input: {} });

    expect(board.atRisk.map((item) => item.contact.name)).toEqual(["Ravi AtRisk"]);
    expect(board.atRisk[0]).toMatchObject({
      state: "at_risk",
      dueAt: at("2026-03-04T16:00:00Z"),
      overdueMinutes: 0,
      assignee: { id: dana.id, name: "Dana Agent" },
      inboxName: "Support",
      kind: "first_response",
    });
    expect(board.breached.map((item) => item.contact.name)).toEqual(["Omar Older", "Bea Breached"]);
    expect(board.breached[0]).toMatchObject({
      state: "breached",
      // Due Monday 16:00; now is Wednesday 15:00: 47 hours overdue in real time.
      dueAt: at("2026-03-02T16:00:00Z"),
      overdueMinutes: 47 * 60,
      breachedAt: at("2026-03-03T09:00:00Z"),
    });
    expect(board.breached[1]).toMatchObject({ assignee: null, breachedAt: now });
  });

  it("filters by one of the supervisor's inboxes, and another inbox is not found", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(sam), now);
    const board = await listSlaBoard({ ctx, input: { inboxId: support.id } });
    expect(board.breached).toHaveLength(2);
    await expect(listSlaBoard({ ctx, input: { inboxId: sales.id } })).rejects.toThrow(NotFoundError);
  });

  it("is refused to agents", async () => {
    const { db } = database().handle;
    await expect(listSlaBoard({ ctx: ctxFor(db, actorFor(dana), now), input: {} })).rejects.toThrow(
      ForbiddenError,
    );
  });
});

describe("the breach review queue", () => {
  it("lists unreviewed breaches, newest first, including late answers", async () => {
    const { db } = database().handle;
    const page = await listBreachesForReview({ ctx: ctxFor(db, actorFor(sam), now), input: {} });
    expect(page.items.map((item) => item.contact.name)).toEqual(["Bea Breached", "Lena Late", "Omar Older"]);
    // Lena's first response was due Monday 17:00 and answered Wednesday 14:30: 45 h 30 min late.
    expect(page.items[1]).toMatchObject({
      metAt: at("2026-03-04T14:30:00Z"),
      breachedAt: at("2026-03-04T14:30:00Z"),
      overdueMinutes: 45 * 60 + 30,
    });
    expect(page.nextCursor).toBeNull();
  });

  it("pages by cursor and filters by breach time", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(sam), now);
    const first = await listBreachesForReview({ ctx, input: { limit: 2 } });
    expect(first.items).toHaveLength(2);
    const second = await listBreachesForReview({ ctx, input: { limit: 2, cursor: first.nextCursor ?? "" } });
    expect(second.items.map((item) => item.contact.name)).toEqual(["Omar Older"]);
    expect(second.nextCursor).toBeNull();

    const early = await listBreachesForReview({
      ctx,
      input: { from: "2026-03-03T00:00:00Z", to: "2026-03-04T00:00:00Z" },
    });
    expect(early.items.map((item) => item.contact.name)).toEqual(["Omar Older"]);
  });

  it("acknowledges a breach with a reason and a note, once, and audits it", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(sam), now);
    const event = await slaEventOf(db, "Bea Breached");
    const reviewed = await reviewBreach({
      ctx,
      input: { slaEventId: event.id, reason: "staffing", note: "  Two agents were off sick on Tuesday.  " },
    });
    expect(reviewed).toMatchObject({
      reviewedAt: now,
      reviewedBy: sam.id,
      reviewReason: "staffing",
      reviewNote: "Two agents were off sick on Tuesday.",
    });
    const queue = await listBreachesForReview({ ctx, input: {} });
    expect(queue.items.map((item) => item.contact.name)).not.toContain("Bea Breached");

    await expect(
      reviewBreach({ ctx, input: { slaEventId: event.id, reason: "other", note: "Again" } }),
    ).rejects.toThrow(ConflictError);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "sla.breach_reviewed"), eq(auditLog.targetId, event.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]?.details).toMatchObject({ reason: "staffing" });
  });

  it("lets exactly one of two simultaneous reviews through", async () => {
    const { db } = database().handle;
    const event = await slaEventOf(db, "Omar Older");
    const results = await Promise.allSettled([
      reviewBreach({
        ctx: ctxFor(db, actorFor(sam), now),
        input: { slaEventId: event.id, reason: "complex_case", note: "Needed the warehouse." },
      }),
      reviewBreach({
        ctx: ctxFor(db, actorFor(sam), now),
        input: { slaEventId: event.id, reason: "customer_delay", note: "Waited on photos." },
      }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected");
    expect(refused?.status === "rejected" ? refused.reason : undefined).toBeInstanceOf(ConflictError);
  });

  it("refuses a clock that has not breached", async () => {
    const { db } = database().handle;
    const event = await slaEventOf(db, "Olivia OnTrack");
    await expect(
      reviewBreach({
        ctx: ctxFor(db, actorFor(sam), now),
        input: { slaEventId: event.id, reason: "other", note: "Nothing happened" },
      }),
    ).rejects.toThrow(ConflictError);
  });

  it("is refused to agents (403) and to supervisors of other inboxes (404)", async () => {
    const { db } = database().handle;
    const event = await slaEventOf(db, "Lena Late");
    await expect(
      reviewBreach({
        ctx: ctxFor(db, actorFor(dana), now),
        input: { slaEventId: event.id, reason: "staffing", note: "Busy" },
      }),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      reviewBreach({
        ctx: ctxFor(db, actorFor(olly), now),
        input: { slaEventId: event.id, reason: "staffing", note: "Busy" },
      }),
    ).rejects.toThrow(NotFoundError);
    await expect(listBreachesForReview({ ctx: ctxFor(db, actorFor(dana), now), input: {} })).rejects.toThrow(
      ForbiddenError,
    );
  });

  it("requires a reason from the list and a note", async () => {
    const { db } = database().handle;
    const event = await slaEventOf(db, "Lena Late");
    const ctx = ctxFor(db, actorFor(sam), now);
    await expect(
      reviewBreach({ ctx, input: { slaEventId: event.id, reason: "staffing", note: "   " } }),
    ).rejects.toThrow("add a short note saying what happened");
  });

  it("a breached conversation can be reassigned from the board with the usual verb", async () => {
    const { db } = database().handle;
    const ctx = ctxFor(db, actorFor(sam), now);
    const [breached] = (await listSlaBoard({ ctx, input: {} })).breached;
    await assignConversation({
      ctx,
      input: { conversationId: breached?.conversationId ?? "", assigneeId: sam.id },
    });
    const board = await listSlaBoard({ ctx, input: {} });
    expect(board.breached.find((item) => item.conversationId === breached?.conversationId)?.assignee).toEqual(
      {
        id: sam.id,
        name: "Sam Supervisor",
      },
    );
  });
});
