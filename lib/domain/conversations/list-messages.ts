import { and, asc, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import {
  conversationEvents,
  conversations,
  messages,
  type ConversationEvent,
  type Message,
} from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { visibleConversations } from "./scope";
import {
  decodeConversationCursor,
  encodeConversationCursor,
  listMessagesInput,
  type ListMessagesInput,
} from "./schemas";

export interface ThreadPage {
  /** Oldest first, ready to render top to bottom. */
  messages: Message[];
  /** Assignment and status lines that fall within this page's time range. */
  events: ConversationEvent[];
  /** Pass as `before` to load earlier messages; null when this page reaches the beginning. */
  previousCursor: string | null;
}

/** A page of a conversation's thread, newest page first, walking back by cursor ("load earlier"). */
export async function listMessages({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ListMessagesInput;
}): Promise<ThreadPage> {
  requirePermission(ctx.actor, "conversations.read");
  const query = listMessagesInput.parse(input);
  const before = query.before === undefined ? undefined : decodeConversationCursor(query.before);
  if (query.before !== undefined && !before) {
    throw new InvalidInputError("The cursor is not valid; reload the conversation.");
  }

  const filters: SQL[] = [eq(messages.conversationId, query.conversationId)];
  if (before) {
    filters.push(
      sql`(${messages.createdAt}, ${messages.id}) < (${before.at.toISOString()}::timestamptz, ${before.id}::uuid)`,
    );
  }
  // The visibility check and the page go out together (one round trip); the page is only
  // returned once the check has passed.
  const [[visible], rows] = await Promise.all([
    ctx.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.id, query.conversationId), visibleConversations(ctx.db, ctx.actor)))
      .execute(),
    ctx.db
      .select()
      .from(messages)
      .where(and(...filters))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(query.limit + 1)
      .execute(),
  ]);
  if (!visible) throw new NotFoundError("That conversation does not exist or is not in your inboxes.");

  const page = rows.slice(0, query.limit);
  const oldest = page.at(-1);
  const hasEarlier = rows.length > query.limit;

  const eventFilters: SQL[] = [eq(conversationEvents.conversationId, query.conversationId)];
  if (hasEarlier && oldest) eventFilters.push(gte(conversationEvents.createdAt, oldest.createdAt));
  if (before) eventFilters.push(lt(conversationEvents.createdAt, before.at));
  const events = await ctx.db
    .select()
    .from(conversationEvents)
    .where(and(...eventFilters))
    .orderBy(asc(conversationEvents.createdAt), asc(conversationEvents.id));

  return {
    messages: page.reverse(),
    events,
    previousCursor:
      hasEarlier && oldest ? encodeConversationCursor({ at: oldest.createdAt, id: oldest.id }) : null,
  };
}
