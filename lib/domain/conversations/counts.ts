import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { inSearchTransaction, isStatementTimeout } from "@/lib/db/search";
import { contacts, conversations } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { conversationFilters } from "./list";
import { listConversationsInput, type ListConversationsInput } from "./schemas";

export interface ViewCount {
  conversations: number;
  /** Conversations in the view with unread customer messages. */
  unread: number;
}

/** How long counting a search's matches may take before the views go without numbers. */
export const SEARCH_COUNT_TIMEOUT_MS = 2_000;

/**
 * Counts for the list's views (mine / unassigned / all) under the same filters, in one query;
 * null for every view when a search's count took longer than SEARCH_COUNT_TIMEOUT_MS.
 */
export async function countConversations({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: Omit<ListConversationsInput, "view" | "cursor" | "limit" | "sort">;
}): Promise<Record<"mine" | "unassigned" | "all", ViewCount | null>> {
  requirePermission(ctx.actor, "conversations.read");
  const query = listConversationsInput.parse(input);
  const me = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const mine = me ? sql`${conversations.assigneeId} = ${me}::uuid` : sql`false`;
  const unassigned = sql`${conversations.assigneeId} is null`;
  const unread = sql`${conversations.unreadCount} > 0`;

  const counting = (db: Executor) =>
    db
      .select({
        all: sql<number>`count(*)::int`,
        allUnread: sql<number>`(count(*) filter (where ${unread}))::int`,
        mine: sql<number>`(count(*) filter (where ${mine}))::int`,
        mineUnread: sql<number>`(count(*) filter (where ${mine} and ${unread}))::int`,
        unassigned: sql<number>`(count(*) filter (where ${unassigned}))::int`,
        unassignedUnread: sql<number>`(count(*) filter (where ${unassigned} and ${unread}))::int`,
      })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(and(...conversationFilters(ctx.db, ctx.actor, query, ctx.now)));

  let row: Awaited<ReturnType<typeof counting>>[number] | undefined;
  if (!query.q) {
    [row] = await counting(ctx.db);
  } else {
    // Counting a common word's matches has no fast plan (every conversation is tested against
    // a million matching messages); the list itself stays fast. Past the limit the views show
    // no number rather than hold a connection for minutes.
    try {
      [row] = await inSearchTransaction(ctx.db, { timeoutMs: SEARCH_COUNT_TIMEOUT_MS }, counting);
    } catch (error) {
      if (!isStatementTimeout(error)) throw error;
      return { mine: null, unassigned: null, all: null };
    }
  }

  return {
    mine: { conversations: row?.mine ?? 0, unread: row?.mineUnread ?? 0 },
    unassigned: { conversations: row?.unassigned ?? 0, unread: row?.unassignedUnread ?? 0 },
    all: { conversations: row?.all ?? 0, unread: row?.allUnread ?? 0 },
  };
}
