import { eq } from "drizzle-orm";
import { cannedReplies, inboxes } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";
import { rethrowDuplicateShortcut } from "./errors";
import { createCannedReplyInput, type CreateCannedReplyInput } from "./schemas";

export async function createCannedReply({ ctx, input }: { ctx: Ctx; input: CreateCannedReplyInput }) {
  requirePermission(ctx.actor, "canned_replies.manage");
  const values = createCannedReplyInput.parse(input);

  return inTransaction(ctx, async (tx) => {
    if (values.inboxId) {
      const [inbox] = await tx.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.id, values.inboxId));
      if (!inbox) throw new NotFoundError("That inbox does not exist.");
    }
    const [row] = await tx
      .insert(cannedReplies)
      .values({
        ...values,
        createdBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
      .catch(rethrowDuplicateShortcut);
    if (!row) throw new Error("insert returned no row");
    await recordAudit(tx, ctx, {
      action: "canned_reply.created",
      targetType: "canned_reply",
      targetId: row.id,
      details: { shortcut: row.shortcut, inboxId: row.inboxId },
    });
    return row;
  });
}
