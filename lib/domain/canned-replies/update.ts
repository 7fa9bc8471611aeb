import { eq } from "drizzle-orm";
import { cannedReplies } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { rethrowDuplicateShortcut } from "./errors";
import { updateCannedReplyInput, type UpdateCannedReplyInput } from "./schemas";

export async function updateCannedReply({ ctx, input }: { ctx: Ctx; input: UpdateCannedReplyInput }) {
  requirePermission(ctx.actor, "canned_replies.manage");
  const { id, ...changes } = updateCannedReplyInput.parse(input);
  if (Object.keys(changes).length === 0)
    throw new InvalidInputError("Nothing to change: send shortcut, title or body.");

  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .update(cannedReplies)
      .set({ ...changes, updatedAt: ctx.now })
      .where(eq(cannedReplies.id, id))
      .returning()
      .catch(rethrowDuplicateShortcut);
    if (!row) throw new NotFoundError("That canned reply does not exist.");
    await recordAudit(tx, ctx, {
      action: "canned_reply.updated",
      targetType: "canned_reply",
      targetId: row.id,
      details: { fields: Object.keys(changes) },
    });
    return row;
  });
}
