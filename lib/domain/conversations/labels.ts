import { and, eq } from "drizzle-orm";
import { conversationLabels, conversations, labels } from "@/lib/db/schema";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";
import { announceConversationChange, recordConversationEvent } from "./events";
import { visibleConversations } from "./scope";
import { conversationLabelInput, type ConversationLabelInput } from "./schemas";

type Change = "add" | "remove";

async function changeLabel(ctx: Ctx, input: ConversationLabelInput, change: Change) {
  requirePermission(ctx.actor, "conversations.label");
  const { conversationId, labelId } = conversationLabelInput.parse(input);

  const result = await inTransaction(ctx, async (tx) => {
    const [conversation] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), visibleConversations(tx, ctx.actor)));
    if (!conversation) throw new NotFoundError("That conversation does not exist or is not in your inboxes.");
    const [label] = await tx.select().from(labels).where(eq(labels.id, labelId));
    if (!label) throw new NotFoundError("That label does not exist.");

    const changed =
      change === "add"
        ? await tx
            .insert(conversationLabels)
            .values({
              conversationId,
              labelId,
              addedBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
              createdAt: ctx.now,
            })
            .onConflictDoNothing()
            .returning()
        : await tx
            .delete(conversationLabels)
            .where(
              and(
                eq(conversationLabels.conversationId, conversationId),
                eq(conversationLabels.labelId, labelId),
              ),
            )
            .returning();
    const event =
      changed.length > 0
        ? await recordConversationEvent(tx, ctx, {
            conversationId,
            kind: change === "add" ? "label_added" : "label_removed",
            details: { label: label.name },
          })
        : undefined;
    return { conversation, event };
  });

  if (result.event) announceConversationChange({ ...result.conversation, updatedAt: ctx.now }, result.event);
  return { changed: result.event !== undefined };
}

/** Labels a conversation; labelling it twice changes nothing. */
export function addConversationLabel({ ctx, input }: { ctx: Ctx; input: ConversationLabelInput }) {
  return changeLabel(ctx, input, "add");
}

export function removeConversationLabel({ ctx, input }: { ctx: Ctx; input: ConversationLabelInput }) {
  return changeLabel(ctx, input, "remove");
}
