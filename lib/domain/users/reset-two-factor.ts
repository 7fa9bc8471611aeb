import { eq } from "drizzle-orm";
import { recoveryCodes, users } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";
import { bumpSessionVersion } from "./end-sessions";
import { userIdInput, type UserIdInput } from "./schemas";

/** Clears a user's authenticator and recovery codes; they must enrol again at their next sign-in. */
export async function resetTwoFactor({ ctx, input }: { ctx: Ctx; input: UserIdInput }) {
  requirePermission(ctx.actor, "users.manage");
  const { userId } = userIdInput.parse(input);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ totpSecretEncrypted: null, totpEnabledAt: null, totpLastUsedStep: null, updatedAt: ctx.now })
      .where(eq(users.id, userId))
      .returning({ id: users.id });
    if (!row) throw new NotFoundError("That user does not exist.");
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await bumpSessionVersion(tx, userId, ctx.now);
    await recordAudit(tx, ctx, { action: "user.two_factor_reset", targetType: "user", targetId: userId });
  });
  publish.sessionEnded(userId);
  return { userId };
}
