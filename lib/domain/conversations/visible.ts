import { and, eq } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { conversations, inboxMembers } from "@/lib/db/schema";

/** Whether a user belongs to the inbox of a conversation (for socket rooms and presence). */
export async function userCanSeeConversation(
  db: Database,
  userId: string,
  conversationId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .innerJoin(
      inboxMembers,
      and(eq(inboxMembers.inboxId, conversations.inboxId), eq(inboxMembers.userId, userId)),
    )
    .where(eq(conversations.id, conversationId));
  return row !== undefined;
}
