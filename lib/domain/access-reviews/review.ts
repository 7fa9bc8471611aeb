import { eq } from "drizzle-orm";
import { users } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";
import { ensureAnotherActiveAdmin, lockActiveAdmins } from "../users/admins";
import { bumpSessionVersion } from "../users/end-sessions";
import { reviewAccessInput, type ReviewAccessInput } from "./schemas";

/**
 * Records an access review: "confirm" stamps the review date; "revoke" deactivates the user, ends
 * their sessions and sockets. Both are audited.
 */
export async function reviewAccess({ ctx, input }: { ctx: Ctx; input: ReviewAccessInput }) {
  requirePermission(ctx.actor, "access_reviews.manage");
  const { userId, decision } = reviewAccessInput.parse(input);
  if (decision === "revoke" && ctx.actor.kind === "user" && ctx.actor.userId === userId) {
    throw new ForbiddenError("You cannot revoke your own access; ask another admin.");
  }

  await inTransaction(ctx, async (tx) => {
    const [peek] = await tx
      .select({ role: users.role, status: users.status })
      .from(users)
      .where(eq(users.id, userId));
    if (!peek) throw new NotFoundError("That user does not exist.");
    if (decision === "revoke" && peek.role === "admin" && peek.status === "active")
      await lockActiveAdmins(tx);
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw new NotFoundError("That user does not exist.");

    if (decision === "confirm") {
      await tx
        .update(users)
        .set({ accessReviewedAt: ctx.now, updatedAt: ctx.now })
        .where(eq(users.id, userId));
      await recordAudit(tx, ctx, { action: "access_review.confirmed", targetType: "user", targetId: userId });
      return;
    }
    if (user.status !== "active") throw new ConflictError("That user's access is already revoked.");
    if (user.role === "admin") await ensureAnotherActiveAdmin(tx, user.id);
    await tx
      .update(users)
      .set({ status: "deactivated", accessReviewedAt: ctx.now, updatedAt: ctx.now })
      .where(eq(users.id, userId));
    await bumpSessionVersion(tx, userId, ctx.now);
    await recordAudit(tx, ctx, { action: "access_review.revoked", targetType: "user", targetId: userId });
  });

  if (decision === "revoke") publish.sessionEnded(userId, "Your access was revoked.");
  return { userId, decision };
}
