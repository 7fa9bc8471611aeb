import { and, desc, eq, exists, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import type { Executor } from "@/lib/db";
import { contacts, conversationLabels, conversations, messages } from "@/lib/db/schema";
import type { ConversationStatus } from "@/lib/db/schema";
import type { SlaKind } from "@/lib/sla/policy";
import type { SlaState } from "@/lib/sla/state";
import type { Actor } from "../context";
import { escapeLike } from "@/lib/db/like";
import { inSearchTransaction } from "@/lib/db/search";
import { requirePermission, type Ctx } from "../context";
import { InvalidInputError } from "../errors";
import { visibleConversations } from "./scope";
import {
  decodeConversationCursor,
  encodeConversationCursor,
  listConversationsInput,
  type ConversationCursor,
  type ListConversationsInput,
} from "./schemas";

export interface ConversationListItem {
  id: string;
  inboxId: string;
  status: ConversationStatus;
  assigneeId: string | null;
  unreadCount: number;
  lastMessageAt: Date;
  lastMessagePreview: string | null;
  waitingSince: Date | null;
  windowExpiresAt: Date | null;
  contact: { id: string; name: string | null; waId: string | null };
  /** The running response clock, or null when nobody owes the customer an answer. */
  sla: ConversationSla | null;
}

/** A conversation's running response clock; its state at any instant follows from atRiskAt and dueAt. */
export interface ConversationSla {
  kind: SlaKind;
  startedAt: Date;
  dueAt: Date;
  atRiskAt: Date;
  breachedAt: Date | null;
}

/** The SLA columns of a conversation row as one object (null when no clock runs). */
export function conversationSlaOf(row: {
  slaKind: SlaKind | null;
  slaStartedAt: Date | null;
  slaDueAt: Date | null;
  slaAtRiskAt: Date | null;
  slaBreachedAt: Date | null;
}): ConversationSla | null {
  if (!row.slaKind || !row.slaStartedAt || !row.slaDueAt || !row.slaAtRiskAt) return null;
  return {
    kind: row.slaKind,
    startedAt: row.slaStartedAt,
    dueAt: row.slaDueAt,
    atRiskAt: row.slaAtRiskAt,
    breachedAt: row.slaBreachedAt,
  };
}

/** The state filter in SQL, the same comparisons as lib/sla slaStateAt: no join, no calendar. */
function slaStateFilter(state: SlaState, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  if (state === "breached") return sql`${conversations.slaDueAt} < ${at}`;
  if (state === "at_risk")
    return sql`${conversations.slaAtRiskAt} < ${at} and ${conversations.slaDueAt} >= ${at}`;
  return sql`${conversations.slaAtRiskAt} >= ${at}`;
}

export interface ConversationPage {
  items: ConversationListItem[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

type ListQuery = ReturnType<typeof listConversationsInput.parse>;

/** The WHERE clause shared by the list and its counts: scope, inbox, status, SLA state, label and search. */
export function conversationFilters(
  db: Executor,
  actor: Actor,
  query: Omit<ListQuery, "view" | "sort" | "limit" | "cursor">,
  now: Date,
): SQL[] {
  const filters: SQL[] = [visibleConversations(db, actor)];
  if (query.status) filters.push(eq(conversations.status, query.status));
  if (query.inboxId) filters.push(eq(conversations.inboxId, query.inboxId));
  if (query.sla) filters.push(slaStateFilter(query.sla, now));
  if (query.labelId) {
    filters.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(conversationLabels)
          .where(
            and(
              eq(conversationLabels.conversationId, conversations.id),
              eq(conversationLabels.labelId, query.labelId),
            ),
          ),
      ),
    );
  }
  if (query.q) filters.push(or(...searchMatches(db, query.q)) ?? sql`false`);
  return filters;
}

/**
 * The two ways a conversation matches a search, each a condition on `conversations` alone: by its
 * customer (name, or wa_id/phone when the term has 3+ digits) or by the text of any of its messages.
 * Uncorrelated subqueries, so PostgreSQL can drive either from its trigram index
 * (contacts_*_trgm_idx, messages_body_trgm_idx) or test it per row.
 */
function searchMatches(db: Executor, q: string): [SQL, SQL] {
  const pattern = `%${escapeLike(q)}%`;
  const digits = q.replace(/\D/g, "");
  const contactMatches: SQL[] = [ilike(contacts.profileName, pattern)];
  if (digits.length >= 3)
    contactMatches.push(ilike(contacts.waId, `%${digits}%`), ilike(contacts.phone, `%${digits}%`));
  return [
    inArray(
      conversations.contactId,
      db
        .select({ id: contacts.id })
        .from(contacts)
        .where(or(...contactMatches)),
    ),
    inArray(
      conversations.id,
      db.select({ id: messages.conversationId }).from(messages).where(ilike(messages.body, pattern)),
    ),
  ];
}

function cursorFilter(sort: ListQuery["sort"], cursor: Required<ConversationCursor>): SQL {
  const at = sql`${cursor.at.toISOString()}::timestamptz`;
  const id = sql`${cursor.id}::uuid`;
  const recentAfter = sql`(${conversations.lastMessageAt}, ${conversations.id}) < (${at}, ${id})`;
  if (sort === "recent") return recentAfter;
  if (cursor.segment === "recent") return sql`${conversations.waitingSince} is null and ${recentAfter}`;
  return sql`(${conversations.waitingSince} > ${at} or (${conversations.waitingSince} = ${at} and ${conversations.id} < ${id}) or ${conversations.waitingSince} is null)`;
}

/**
 * A search page's ids: the first `size` by name or number and the first `size` by message text,
 * each under every other filter and in the list's order; the page is the first `size` of both.
 * One `or` of the two would make PostgreSQL walk every visible conversation testing both sets;
 * apart, each part can start from its few trigram matches, or walk in order and stop early
 * when its term is common.
 */
function searchPage(db: Executor, q: string, filters: SQL[], order: SQL[], size: number) {
  const [byContact, byMessage] = searchMatches(db, q);
  const part = (match: SQL) =>
    db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(...filters, match))
      .orderBy(...order)
      .limit(size);
  return unionAll(part(byContact), part(byMessage));
}

/** The conversations the actor may see, one keyset page at a time; longest-waiting first by default. */
export async function listConversations({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ListConversationsInput;
}): Promise<ConversationPage> {
  requirePermission(ctx.actor, "conversations.read");
  const query = listConversationsInput.parse(input);

  const filters = conversationFilters(ctx.db, ctx.actor, { ...query, q: undefined }, ctx.now);
  if (query.view === "unassigned") filters.push(isNull(conversations.assigneeId));
  if (query.view === "mine") {
    if (ctx.actor.kind !== "user") throw new InvalidInputError('The "mine" view needs a signed-in user.');
    filters.push(eq(conversations.assigneeId, ctx.actor.userId));
  }
  if (query.cursor !== undefined) {
    const cursor = decodeConversationCursor(query.cursor);
    if (!cursor) throw new InvalidInputError("The cursor is not valid; start again from the first page.");
    filters.push(cursorFilter(query.sort, cursor));
  }

  // Waiting customers first (oldest wait on top), then everyone else by latest activity.
  const order: SQL[] =
    query.sort === "recent"
      ? [desc(conversations.lastMessageAt), desc(conversations.id)]
      : [
          sql`${conversations.waitingSince} is null`,
          sql`${conversations.waitingSince} asc`,
          sql`case when ${conversations.waitingSince} is null then ${conversations.lastMessageAt} end desc`,
          desc(conversations.id),
        ];

  const page = (db: Executor) =>
    db
      .select({
        id: conversations.id,
        inboxId: conversations.inboxId,
        status: conversations.status,
        assigneeId: conversations.assigneeId,
        unreadCount: conversations.unreadCount,
        lastMessageAt: conversations.lastMessageAt,
        lastMessagePreview: conversations.lastMessagePreview,
        waitingSince: conversations.waitingSince,
        windowExpiresAt: conversations.windowExpiresAt,
        contact: { id: contacts.id, name: contacts.profileName, waId: contacts.waId },
        slaKind: conversations.slaKind,
        slaStartedAt: conversations.slaStartedAt,
        slaDueAt: conversations.slaDueAt,
        slaAtRiskAt: conversations.slaAtRiskAt,
        slaBreachedAt: conversations.slaBreachedAt,
      })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(
        query.q
          ? inArray(conversations.id, searchPage(db, query.q, filters, order, query.limit + 1))
          : and(...filters),
      )
      .orderBy(...order)
      .limit(query.limit + 1);
  // A search is planned for its term every time (see inSearchTransaction).
  const rows = query.q ? await inSearchTransaction(ctx.db, {}, page) : await page(ctx.db);

  const items: ConversationListItem[] = rows
    .slice(0, query.limit)
    .map(({ slaKind, slaStartedAt, slaDueAt, slaAtRiskAt, slaBreachedAt, ...item }) => ({
      ...item,
      sla: conversationSlaOf({ slaKind, slaStartedAt, slaDueAt, slaAtRiskAt, slaBreachedAt }),
    }));
  const last = items.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > query.limit && last) {
    nextCursor =
      query.sort === "waiting" && last.waitingSince
        ? encodeConversationCursor({ at: last.waitingSince, id: last.id, segment: "waiting" })
        : encodeConversationCursor({ at: last.lastMessageAt, id: last.id, segment: "recent" });
  }
  return { items, nextCursor };
}
