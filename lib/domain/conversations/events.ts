import type { Executor } from "@/lib/db";
import { conversationEvents, type ConversationEventKind } from "@/lib/db/schema";
import type { Actor, Ctx } from "../context";

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
