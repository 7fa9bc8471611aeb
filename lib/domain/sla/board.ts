import { and, asc, desc, eq, gte, isNotNull, isNull, lt, min, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/lib/db";
import { contacts, conversations, inboxes, slaEvents, users, type ConversationStatus } from "@/lib/db/schema";
import type { SlaKind } from "@/lib/sla/policy";
import { slaStateAt, type SlaState } from "@/lib/sla/state";
import { requirePermission, type Ctx } from "../context";
import { InvalidInputError } from "../errors";
import { assertInboxVisible, visibleSlaEvents } from "./scope";
import { listBreachesInput, slaBoardInput, type ListBreachesInput, type SlaBoardInput } from "./schemas";

export interface SlaBoardItem {
  slaEventId: string;
  conversationId: string;
  conversationStatus: ConversationStatus;
  inboxId: string;
  inboxName: string;
  kind: SlaKind;
  /** When the customer's message arrived. */
  arrivedAt: Date;
  clockStartedAt: Date;
  dueAt: Date;
  atRiskAt: Date;
  breachedAt: Date | null;
  state: SlaState;
  /** Real minutes past the deadline (0 while not yet due). */
  overdueMinutes: number;
  contact: { id: string; name: string | null; waId: string | null };
  assignee: { id: string; name: string } | null;
}

/** The most a board list shows; supervisors act on the oldest first. */
const BOARD_LIMIT = 200;

const running = and(isNull(slaEvents.metAt), isNull(slaEvents.stoppedAt));

function boardColumns() {
  return {
    slaEventId: slaEvents.id,
    conversationId: slaEvents.conversationId,
    conversationStatus: conversations.status,
    inboxId: slaEvents.inboxId,
    inboxName: inboxes.name,
    kind: slaEvents.kind,
    arrivedAt: slaEvents.startedAt,
    clockStartedAt: slaEvents.clockStartedAt,
    dueAt: slaEvents.dueAt,
    atRiskAt: slaEvents.atRiskAt,
    breachedAt: slaEvents.breachedAt,
    metAt: slaEvents.metAt,
    stoppedAt: slaEvents.stoppedAt,
    contactId: contacts.id,
    contactName: contacts.profileName,
    contactWaId: contacts.waId,
    assigneeId: conversations.assigneeId,
    assigneeName: users.name,
  };
}

function boardQuery(db: Executor, where: SQL | undefined) {
  return db
    .select(boardColumns())
    .from(slaEvents)
    .innerJoin(conversations, eq(conversations.id, slaEvents.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(inboxes, eq(inboxes.id, slaEvents.inboxId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .where(where);
}

type BoardRow = Awaited<ReturnType<typeof boardQuery>>[number];

function toItem(row: BoardRow, now: Date): SlaBoardItem {
  return {
    slaEventId: row.slaEventId,
    conversationId: row.conversationId,
    conversationStatus: row.conversationStatus,
    inboxId: row.inboxId,
    inboxName: row.inboxName,
    kind: row.kind,
    arrivedAt: row.arrivedAt,
    clockStartedAt: row.clockStartedAt,
    dueAt: row.dueAt,
    atRiskAt: row.atRiskAt,
    breachedAt: row.breachedAt,
    state: slaStateAt({ atRiskAt: row.atRiskAt, dueAt: row.dueAt, now }),
    overdueMinutes: Math.max(0, Math.floor((now.getTime() - row.dueAt.getTime()) / 60_000)),
    contact: { id: row.contactId, name: row.contactName, waId: row.contactWaId },
    assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? "" } : null,
  };
}

/**
 * The supervisor's live board: running clocks at risk and past due in the actor's inboxes, the
 * most urgent first, with who holds each conversation.
 */
export async function listSlaBoard({ ctx, input }: { ctx: Ctx; input: SlaBoardInput }) {
  requirePermission(ctx.actor, "sla.read");
  const { inboxId } = slaBoardInput.parse(input);
  await assertInboxVisible(ctx.db, ctx.actor, inboxId);

  const now = ctx.now.toISOString();
  const scope = and(
    running,
    visibleSlaEvents(ctx.db, ctx.actor),
    inboxId ? eq(slaEvents.inboxId, inboxId) : undefined,
  );
  const [breached, atRisk, [upcoming]] = await Promise.all([
    boardQuery(ctx.db, and(scope, lt(slaEvents.dueAt, sql`${now}::timestamptz`)))
      .orderBy(asc(slaEvents.dueAt), asc(slaEvents.id))
      .limit(BOARD_LIMIT),
    boardQuery(
      ctx.db,
      and(
        scope,
        lt(slaEvents.atRiskAt, sql`${now}::timestamptz`),
        gte(slaEvents.dueAt, sql`${now}::timestamptz`),
      ),
    )
      .orderBy(asc(slaEvents.dueAt), asc(slaEvents.id))
      .limit(BOARD_LIMIT),
    ctx.db
      .select({ at: min(slaEvents.atRiskAt) })
      .from(slaEvents)
      .where(and(scope, gte(slaEvents.atRiskAt, sql`${now}::timestamptz`))),
  ]);
  return {
    now: ctx.now,
    /** When the next clock now on track turns at risk (null: none runs): the board refreshes then. */
    nextAtRiskAt: upcoming?.at ?? null,
    atRisk: atRisk.map((row) => toItem(row, ctx.now)),
    breached: breached.map((row) => toItem(row, ctx.now)),
  };
}

export interface BreachForReview extends SlaBoardItem {
  breachedAt: Date;
  metAt: Date | null;
  stoppedAt: Date | null;
}

const breachCursorSchema = z.object({ at: z.iso.datetime(), id: z.uuid() });

function encodeBreachCursor(row: { breachedAt: Date; slaEventId: string }): string {
  return Buffer.from(JSON.stringify({ at: row.breachedAt.toISOString(), id: row.slaEventId })).toString(
    "base64url",
  );
}

function decodeBreachCursor(value: string): { at: string; id: string } {
  try {
    const parsed = breachCursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the readable error
  }
  throw new InvalidInputError("The cursor is not valid; start again from the first page.");
}

/**
 * The review queue: breaches nobody has acknowledged yet, newest first, in the actor's inboxes,
 * optionally for one inbox and a period of breach times [from, to). Paged by cursor.
 */
export async function listBreachesForReview({ ctx, input }: { ctx: Ctx; input: ListBreachesInput }) {
  requirePermission(ctx.actor, "sla.read");
  const query = listBreachesInput.parse(input);
  await assertInboxVisible(ctx.db, ctx.actor, query.inboxId);

  const filters: (SQL | undefined)[] = [
    isNotNull(slaEvents.breachedAt),
    isNull(slaEvents.reviewedAt),
    visibleSlaEvents(ctx.db, ctx.actor),
  ];
  if (query.inboxId) filters.push(eq(slaEvents.inboxId, query.inboxId));
  if (query.from) filters.push(gte(slaEvents.breachedAt, sql`${query.from.toISOString()}::timestamptz`));
  if (query.to) filters.push(lt(slaEvents.breachedAt, sql`${query.to.toISOString()}::timestamptz`));
  if (query.cursor) {
    const cursor = decodeBreachCursor(query.cursor);
    filters.push(
      sql`(${slaEvents.breachedAt}, ${slaEvents.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`,
    );
  }

  const rows = await boardQuery(ctx.db, and(...filters))
    .orderBy(desc(slaEvents.breachedAt), desc(slaEvents.id))
    .limit(query.limit + 1);
  const items: BreachForReview[] = rows.slice(0, query.limit).map((row) => ({
    ...toItem(row, ctx.now),
    breachedAt: row.breachedAt ?? row.dueAt,
    metAt: row.metAt,
    stoppedAt: row.stoppedAt,
    // Overdue until answered: how late the reply was, or how long it has been waiting.
    overdueMinutes: Math.max(
      0,
      Math.floor(((row.metAt ?? row.stoppedAt ?? ctx.now).getTime() - row.dueAt.getTime()) / 60_000),
    ),
  }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeBreachCursor(last) : null,
  };
}
