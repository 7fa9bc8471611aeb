import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { slaEvents, type ConversationEvent, type Conversation } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { assignWithin } from "../conversations/assign";
import { announceConversationChange } from "../conversations/events";
import { visibleSlaEvents } from "./scope";
import { reviewBreachInput, type ReviewBreachInput } from "./schemas";

/**
 * A supervisor acknowledges a breach with a reason and a note. Once only: the conditional update
 * lets exactly one of two simultaneous reviews through; the other is a conflict. With `assigneeId`
 * the conversation is reassigned in the same transaction (needs `conversations.assign` too).
 */
export async function reviewBreach({ ctx, input }: { ctx: Ctx; input: ReviewBreachInput }) {
  requirePermission(ctx.actor, "sla.review");
  const { slaEventId, reason, note, assigneeId } = reviewBreachInput.parse(input);
  if (assigneeId !== undefined) requirePermission(ctx.actor, "conversations.assign");
  const reviewerId = ctx.actor.kind === "user" ? ctx.actor.userId : null;

  const reviewed = await inTransaction(ctx, async (tx) => {
    const [event] = await tx
      .select({ id: slaEvents.id, breachedAt: slaEvents.breachedAt, reviewedAt: slaEvents.reviewedAt })
      .from(slaEvents)
      .where(and(eq(slaEvents.id, slaEventId), visibleSlaEvents(tx, ctx.actor)));
    if (!event) throw new NotFoundError("That breach does not exist or is not in your inboxes.");
    if (!event.breachedAt)
      throw new ConflictError("That response clock has not breached; there is nothing to review.");

    const [row] = await tx
      .update(slaEvents)
      .set({
        reviewedAt: ctx.now,
        reviewedBy: reviewerId,
        reviewReason: reason,
        reviewNote: note,
        updatedAt: ctx.now,
      })
      .where(and(eq(slaEvents.id, slaEventId), isNotNull(slaEvents.breachedAt), isNull(slaEvents.reviewedAt)))
      .returning();
    if (!row) throw new ConflictError("That breach has already been reviewed.");
    await recordAudit(tx, ctx, {
      action: "sla.breach_reviewed",
      targetType: "sla_event",
      targetId: row.id,
      details: { conversationId: row.conversationId, reason, note },
    });
    let reassigned: { row: Conversation; event: ConversationEvent | undefined } | undefined;
    if (assigneeId !== undefined) {
      reassigned = await assignWithin(tx, ctx, { conversationId: row.conversationId, assigneeId });
    }
    return { row, reassigned };
  });

  const { row, reassigned } = reviewed;
  publish.slaReviewed({
    slaEventId: row.id,
    conversationId: row.conversationId,
    inboxId: row.inboxId,
    reviewedAt: ctx.now.toISOString(),
    reviewedBy: reviewerId,
  });
  if (reassigned?.event) announceConversationChange(reassigned.row, reassigned.event);
  // The conversation's assignee afterwards, when this review reassigned it.
  return { ...row, reassignedTo: reassigned ? reassigned.row.assigneeId : undefined };
}
