import { eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { conversations, inboxMembers } from "@/lib/db/schema";
import type { Actor } from "../context";

/**
 * The row scope of every conversation query: a user sees the inboxes they are a member of,
 * read from the database on each query so a membership change applies at once.
 */
export function visibleConversations(db: Executor, actor: Actor): SQL {
  if (actor.kind === "system") return sql`true`;
  return inArray(
    conversations.inboxId,
    db
      .select({ inboxId: inboxMembers.inboxId })
      .from(inboxMembers)
      .where(eq(inboxMembers.userId, actor.userId)),
  );
}
