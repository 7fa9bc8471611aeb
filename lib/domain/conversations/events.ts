import type { Executor } from "@/lib/db";
import {
  conversationEvents,
  type Conversation,
  type ConversationEvent,
  type ConversationEventKind,
} from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import type { Actor, Ctx } from "../context";
import { conversationChangedEvent } from "../messages/announce";

export function actorName(actor: Actor): string {
  return actor.kind === "user" ? actor.name : "Parley";
}

/** Adds a thread line through the caller's transaction, so it commits with the change it describes. */
export async function recordConversationEvent(
  tx: Executor,
  ctx: Pick<Ctx, "actor" | "now">,
  event: { conversationId: string; kind: ConversationEventKind; details: Record<string, string | null> },
) {
  const [row] = await tx
    .insert(conversationEvents)
    .values({
      conversationId: event.conversationId,
      kind: event.kind,
      actorId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
      details: { by: actorName(ctx.actor), ...event.details },
      createdAt: ctx.now,
    })
    .returning();
  return row;
}

/** After commit: tells open browsers what changed and shows the new thread line. */
export function announceConversationChange(conversation: Conversation, event: ConversationEvent | undefined) {
  publish.conversationChanged(conversationChangedEvent(conversation));
  if (event) publish.conversationEvent(event, conversation.inboxId);
}
