import type { Conversation, Message } from "@/lib/db/schema";
import type { ConversationChangedEvent, MessageCreatedEvent } from "@/lib/realtime/events";
import { publish } from "@/lib/realtime/publish";
import { announceSlaChanges, toSlaClockDto } from "../sla/announce";
import type { SlaChange } from "../sla/clock";

/** The socket event for a conversation row as it is after a change. */
export function conversationChangedEvent(row: Conversation): ConversationChangedEvent {
  return {
    conversationId: row.id,
    inboxId: row.inboxId,
    status: row.status,
    assigneeId: row.assigneeId,
    updatedAt: row.updatedAt.toISOString(),
    waitingSince: row.waitingSince?.toISOString() ?? null,
    lastMessageAt: row.lastMessageAt.toISOString(),
    lastMessagePreview: row.lastMessagePreview,
    unreadCount: row.unreadCount,
    windowExpiresAt: row.windowExpiresAt?.toISOString() ?? null,
  };
}

/**
 * After commit: announces stored messages together with the conversation rows and clocks that
 * storing them changed. Each conversation's final state (its row, its last clock change) rides on
 * the last message stored for it, so a customer message costs every agent socket one frame, not
 * three; changes in conversations without a new message still go out as `conversation.changed`
 * and `sla.changed`. `conversations` holds each row as it is now, after all the messages.
 */
export function announceMessages({
  created,
  conversations,
  slaChanges,
}: {
  created: readonly Message[];
  conversations: Iterable<Conversation>;
  slaChanges: readonly (SlaChange | null | undefined)[];
}): void {
  const lastOf = new Map<string, Message>();
  for (const message of created) lastOf.set(message.conversationId, message);
  const rowOf = new Map<string, Conversation>();
  for (const row of conversations) rowOf.set(row.id, row);
  const clockOf = new Map<string, SlaChange>();
  const clocksAlone: SlaChange[] = [];
  for (const change of slaChanges) {
    if (!change) continue;
    // Clients replace the clock whole, so the last change per conversation is all they need.
    if (lastOf.has(change.conversationId)) clockOf.set(change.conversationId, change);
    else clocksAlone.push(change);
  }

  for (const message of created) {
    if (lastOf.get(message.conversationId)?.id !== message.id) {
      publish.messageCreated(message);
      continue;
    }
    const changed: Pick<MessageCreatedEvent, "conversation" | "sla"> = {};
    const row = rowOf.get(message.conversationId);
    if (row) changed.conversation = conversationChangedEvent(row);
    rowOf.delete(message.conversationId);
    const clock = clockOf.get(message.conversationId);
    if (clock) changed.sla = clock.clock ? toSlaClockDto(clock.clock) : null;
    publish.messageCreated(message, changed);
  }
  for (const row of rowOf.values()) publish.conversationChanged(conversationChangedEvent(row));
  announceSlaChanges(clocksAlone);
}
