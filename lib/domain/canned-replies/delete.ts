import { eq } from "drizzle-orm";
import { cannedReplies } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";
import { deleteCannedReplyInput, type DeleteCannedReplyInput } from "./schemas";

export async function deleteCannedReply({ ctx, input }: { ctx: Ctx; input: DeleteCannedReplyInput }) {
  requirePermission(ctx.actor, "canned_replies.manage");
  const { id } = deleteCannedReplyInput.parse(input);

  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.delete(cannedReplies).where(eq(cannedReplies.id, id)).returning();
    if (!row) throw new NotFoundError("That canned reply does not exist.");
    await recordAudit(tx, ctx, {
      action: "canned_reply.deleted",
      targetType: "canned_reply",
      targetId: row.id,
      details: { shortcut: row.shortcut, inboxId: row.inboxId },
    });
  });
}
