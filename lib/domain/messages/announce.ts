import type { Conversation } from "@/lib/db/schema";
import type { ConversationChangedEvent } from "@/lib/realtime/events";

/** The socket event for a conversation row as it is after a change. */
export function conversationChangedEvent(row: Conversation): ConversationChangedEvent {
  return {
    conversationId: row.id,
    inboxId: row.inboxId,
    status: row.status,
    assigneeId: row.assigneeId,
    updatedAt: row.updatedAt.toISOString(),
    unreadCount: row.unreadCount,
    windowExpiresAt: row.windowExpiresAt?.toISOString() ?? null,
  };
}
