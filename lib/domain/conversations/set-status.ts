import { and, eq } from "drizzle-orm";
import { isUniqueViolation } from "@/lib/db/errors";
import { conversations } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { announceSlaChanges } from "../sla/announce";
import { onConversationResolved } from "../sla/clock";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { announceConversationChange, recordConversationEvent } from "./events";
import { visibleConversations } from "./scope";
import { setConversationStatusInput, type SetConversationStatusInput } from "./schemas";

/** Opens, parks as pending, or resolves a conversation the actor can see. */
export async function setConversationStatus({ ctx, input }: { ctx: Ctx; input: SetConversationStatusInput }) {
  requirePermission(ctx.actor, "conversations.update_status");
  const { conversationId, status } = setConversationStatusInput.parse(input);

  const updated = await inTransaction(ctx, async (tx) => {
    const [current] = await tx
      .select({ id: conversations.id, status: conversations.status })
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), visibleConversations(tx, ctx.actor)))
      .for("update");
    if (!current) throw new NotFoundError("That conversation does not exist or is not in your inboxes.");
    if (current.status === status) throw new ConflictError(`The conversation is already ${status}.`);

    // Resolving stops the response clock (lib/domain/sla/clock.ts explains why it is not "met").
    const sla =
      status === "resolved" ? await onConversationResolved(tx, { conversationId, at: ctx.now }) : null;

    const [row] = await tx
      .update(conversations)
      .set({ status, resolvedAt: status === "resolved" ? ctx.now : null, updatedAt: ctx.now })
      .where(and(eq(conversations.id, conversationId), eq(conversations.status, current.status)))
      .returning()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) {
          throw new ConflictError("This customer already has another open conversation in this inbox.");
        }
        throw error;
      });
    if (!row) throw new ConflictError("The conversation changed meanwhile; reload and try again.");

    const event = await recordConversationEvent(tx, ctx, {
      conversationId: row.id,
      kind: "status_changed",
      details: { from: current.status, to: status },
    });
    await recordAudit(tx, ctx, {
      action: "conversation.status_changed",
      targetType: "conversation",
      targetId: row.id,
      details: { from: current.status, to: status },
    });
    return { row, event, sla };
  });

  announceConversationChange(updated.row, updated.event);
  announceSlaChanges([updated.sla]);
  return updated.row;
}
