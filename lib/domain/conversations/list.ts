import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { contacts, conversations } from "@/lib/db/schema";
import type { ConversationStatus } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { InvalidInputError } from "../errors";
import { visibleConversations } from "./scope";
import {
  decodeConversationCursor,
  encodeConversationCursor,
  listConversationsInput,
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
}

export interface ConversationPage {
  items: ConversationListItem[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The conversations the actor may see, newest activity first, one keyset page at a time. */
export async function listConversations({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ListConversationsInput;
}): Promise<ConversationPage> {
  requirePermission(ctx.actor, "conversations.read");
  const query = listConversationsInput.parse(input);

  const filters: SQL[] = [visibleConversations(ctx.db, ctx.actor)];
  if (query.status) filters.push(eq(conversations.status, query.status));
  if (query.inboxId) filters.push(eq(conversations.inboxId, query.inboxId));
  if (query.view === "unassigned") filters.push(isNull(conversations.assigneeId));
  if (query.view === "mine") {
    if (ctx.actor.kind !== "user") throw new InvalidInputError('The "mine" view needs a signed-in user.');
    filters.push(eq(conversations.assigneeId, ctx.actor.userId));
  }
  if (query.cursor !== undefined) {
    const cursor = decodeConversationCursor(query.cursor);
    if (!cursor) throw new InvalidInputError("The cursor is not valid; start again from the first page.");
    // Row comparison walks the (last_message_at, id) index; the id breaks ties between equal times.
    filters.push(
      sql`(${conversations.lastMessageAt}, ${conversations.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)`,
    );
  }

  const rows = await ctx.db
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
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(...filters))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(query.limit + 1);

  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeConversationCursor({ at: last.lastMessageAt, id: last.id })
      : null;
  return { items, nextCursor };
}
