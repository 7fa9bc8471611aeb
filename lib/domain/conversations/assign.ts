import { and, eq } from "drizzle-orm";
import type { Transaction } from "@/lib/db";
import {
  conversations,
  inboxMembers,
  users,
  type Conversation,
  type ConversationEvent,
} from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { announceConversationChange, recordConversationEvent } from "./events";
import { visibleConversations } from "./scope";
import { assignConversationInput, type AssignConversationInput } from "./schemas";

/** Assigns a conversation to a teammate of its inbox (or to nobody). Repeating an assignment changes nothing. */
export async function assignConversation({ ctx, input }: { ctx: Ctx; input: AssignConversationInput }) {
  requirePermission(ctx.actor, "conversations.assign");
  const { conversationId, assigneeId } = assignConversationInput.parse(input);

  const result = await inTransaction(ctx, (tx) => assignWithin(tx, ctx, { conversationId, assigneeId }));

  if (result.event) announceConversationChange(result.row, result.event);
  return result.row;
}

/**
 * The assignment inside the caller's transaction (the breach review reassigns in its own); the
 * caller announces `event` after commit with `announceConversationChange`.
 */
export async function assignWithin(
  tx: Transaction,
  ctx: Ctx,
  { conversationId, assigneeId }: { conversationId: string; assigneeId: string | null },
): Promise<{ row: Conversation; event: ConversationEvent | undefined }> {
  const [current] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), visibleConversations(tx, ctx.actor)))
    .for("update");
  if (!current) throw new NotFoundError("That conversation does not exist or is not in your inboxes.");
  if (current.assigneeId === assigneeId) return { row: current, event: undefined };

  let assigneeName: string | null = null;
  if (assigneeId) {
    const [assignee] = await tx
      .select({ name: users.name, status: users.status })
      .from(users)
      .innerJoin(
        inboxMembers,
        and(eq(inboxMembers.userId, users.id), eq(inboxMembers.inboxId, current.inboxId)),
      )
      .where(eq(users.id, assigneeId));
    if (!assignee) throw new InvalidInputError("That teammate is not a member of this conversation's inbox.");
    if (assignee.status !== "active")
      throw new InvalidInputError("That teammate's access has been deactivated.");
    assigneeName = assignee.name;
  }
  let previousName: string | null = null;
  if (current.assigneeId) {
    const [previous] = await tx
      .select({ name: users.name })
      .from(users)
      .where(eq(users.id, current.assigneeId));
    previousName = previous?.name ?? null;
  }

  const [row] = await tx
    .update(conversations)
    .set({ assigneeId, updatedAt: ctx.now })
    .where(eq(conversations.id, conversationId))
    .returning();
  if (!row) throw new NotFoundError("That conversation no longer exists.");
  const event = await recordConversationEvent(tx, ctx, {
    conversationId,
    kind: assigneeId ? "assigned" : "unassigned",
    details: assigneeId ? { to: assigneeName, toId: assigneeId } : { from: previousName },
  });
  await recordAudit(tx, ctx, {
    action: "conversation.assigned",
    targetType: "conversation",
    targetId: conversationId,
    details: { from: current.assigneeId, to: assigneeId },
  });
  return { row, event };
}
