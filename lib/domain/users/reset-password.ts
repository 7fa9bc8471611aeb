import { eq } from "drizzle-orm";
import { hashPassword } from "@/lib/auth/password";
import { generatePassword } from "@/lib/auth/password-policy";
import { users } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";
import { bumpSessionVersion } from "./end-sessions";
import { userIdInput, type UserIdInput } from "./schemas";

/** Gives a user a new random password (returned once for the admin to pass on) and ends their sessions. */
export async function resetPassword({ ctx, input }: { ctx: Ctx; input: UserIdInput }) {
  requirePermission(ctx.actor, "users.manage");
  const { userId } = userIdInput.parse(input);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: ctx.now })
      .where(eq(users.id, userId))
      .returning({ id: users.id });
    if (!row) throw new NotFoundError("That user does not exist.");
    await bumpSessionVersion(tx, userId, ctx.now);
    await recordAudit(tx, ctx, { action: "user.password_reset", targetType: "user", targetId: userId });
  });
  publish.sessionEnded(userId);
  return { userId, password };
}
