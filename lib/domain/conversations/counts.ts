import { and, eq, sql } from "drizzle-orm";
import { contacts, conversations } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { conversationFilters } from "./list";
import { listConversationsInput, type ListConversationsInput } from "./schemas";

export interface ViewCount {
  conversations: number;
  /** Conversations in the view with unread customer messages. */
  unread: number;
}

/** Counts for the list's views (mine / unassigned / all) under the same filters, in one query. */
export async function countConversations({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: Omit<ListConversationsInput, "view" | "cursor" | "limit" | "sort">;
}): Promise<Record<"mine" | "unassigned" | "all", ViewCount>> {
  requirePermission(ctx.actor, "conversations.read");
  const query = listConversationsInput.parse(input);
  const me = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const mine = me ? sql`${conversations.assigneeId} = ${me}::uuid` : sql`false`;
  const unassigned = sql`${conversations.assigneeId} is null`;
  const unread = sql`${conversations.unreadCount} > 0`;

  const [row] = await ctx.db
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

  return {
    mine: { conversations: row?.mine ?? 0, unread: row?.mineUnread ?? 0 },
    unassigned: { conversations: row?.unassigned ?? 0, unread: row?.unassignedUnread ?? 0 },
    all: { conversations: row?.all ?? 0, unread: row?.allUnread ?? 0 },
  };
}
