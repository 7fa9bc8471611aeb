import { and, eq, lte } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { conversations, messageOriginals, messages } from "@/lib/db/schema";
import type { MaskedOriginal } from "../webhooks/mask-inbound";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";
import { visibleConversations } from "../conversations/scope";
import { messageIdInput, type MessageIdInput } from "../messages/schemas";
import { readPrivacySettings } from "./settings";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Keeps the unmasked text of a masked inbound message, only when and as long as the settings allow. */
export async function keepMaskedOriginal(
  tx: Executor,
  { messageId, original, now }: { messageId: string; original: MaskedOriginal; now: Date },
): Promise<boolean> {
  const settings = await readPrivacySettings(tx);
  if (!settings.keepMaskedOriginals) return false;
  await tx
    .insert(messageOriginals)
    .values({
      messageId,
      body: original.body,
      payload: original.payload,
      createdAt: now,
      expiresAt: new Date(now.getTime() + settings.maskedOriginalDays * DAY_MS),
    })
    .onConflictDoNothing();
  return true;
}

/** Deletes originals past their time; the retention sweeper calls it. */
export async function deleteExpiredOriginals(tx: Executor, now: Date): Promise<number> {
  const deleted = await tx
    .delete(messageOriginals)
    .where(lte(messageOriginals.expiresAt, now))
    .returning({ id: messageOriginals.messageId });
  return deleted.length;
}

/** The unmasked text of a message, for `messages.reveal_original`; every reading is audited. */
export async function revealOriginal({ ctx, input }: { ctx: Ctx; input: MessageIdInput }) {
  requirePermission(ctx.actor, "messages.reveal_original");
  const { messageId } = messageIdInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    const [found] = await tx
      .select({ original: messageOriginals, conversationId: messages.conversationId })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .innerJoin(messageOriginals, eq(messageOriginals.messageId, messages.id))
      .where(and(eq(messages.id, messageId), visibleConversations(tx, ctx.actor)));
    if (!found || found.original.expiresAt <= ctx.now) {
      throw new NotFoundError("No original is kept for that message (none was masked, or it has expired).");
    }
    await recordAudit(tx, ctx, {
      action: "message.original_revealed",
      targetType: "message",
      targetId: messageId,
      details: { conversationId: found.conversationId },
    });
    return {
      messageId,
      body: found.original.body,
      payload: found.original.payload,
      expiresAt: found.original.expiresAt,
    };
  });
}
