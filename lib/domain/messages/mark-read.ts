import { and, desc, eq, gt, isNotNull } from "drizzle-orm";
import { conversations, messages } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { markReadRequest } from "@/lib/whatsapp/graph-client";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { visibleConversations } from "../conversations/scope";
import { NotFoundError } from "../errors";
import { enqueueOutbox } from "../outbox/enqueue";
import { nudgeOutbox } from "../outbox/nudge";
import { conversationChangedEvent } from "./announce";
import { markConversationReadInput, type MarkConversationReadInput } from "./schemas";

/**
 * An agent opened the conversation: its unread customer messages become read in Parley and, with
 * one call for the newest of them (WhatsApp marks the earlier ones too), on the customer's phone.
 */
export async function markConversationRead({ ctx, input }: { ctx: Ctx; input: MarkConversationReadInput }) {
  requirePermission(ctx.actor, "conversations.read");
  const { conversationId } = markConversationReadInput.parse(input);

  const result = await inTransaction(ctx, async (tx) => {
    const [conversation] = await tx
      .select({ id: conversations.id, inboxId: conversations.inboxId })
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), visibleConversations(tx, ctx.actor)))
      .for("update");
    if (!conversation) throw new NotFoundError("That conversation does not exist or is not in your inboxes.");

    const unread = and(
      eq(messages.conversationId, conversationId),
      eq(messages.direction, "inbound"),
      eq(messages.status, "received"),
    );
    const [newest] = await tx
      .select({ wamid: messages.wamid })
      .from(messages)
      .where(and(unread, isNotNull(messages.wamid)))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(1);
    const marked = await tx
      .update(messages)
      .set({ status: "read", statusUpdatedAt: ctx.now })
      .where(unread)
      .returning({ id: messages.id });
    const [updated] = await tx
      .update(conversations)
      .set({ unreadCount: 0, updatedAt: ctx.now })
      .where(and(eq(conversations.id, conversationId), gt(conversations.unreadCount, 0)))
      .returning();
    if (newest?.wamid) {
      await enqueueOutbox(tx, {
        kind: "mark_read",
        inboxId: conversation.inboxId,
        conversationId,
        request: markReadRequest(newest.wamid),
        now: ctx.now,
      });
    }
    return { marked: marked.length, conversation: updated, queued: Boolean(newest?.wamid) };
  });

  if (result.conversation) publish.conversationChanged(conversationChangedEvent(result.conversation));
  if (result.queued) nudgeOutbox();
  return { markedRead: result.marked };
}
