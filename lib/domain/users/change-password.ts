import { eq } from "drizzle-orm";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { passwordProblem } from "@/lib/auth/password-policy";
import { users } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { recordAudit } from "../audit";
import { inTransaction, type Ctx } from "../context";
import { ForbiddenError, InvalidInputError, UnauthenticatedError } from "../errors";
import { bumpSessionVersion } from "./end-sessions";
import { changePasswordInput, type ChangePasswordInput } from "./schemas";

/**
 * The signed-in user changes their own password. Every session ends; the caller gives this
 * browser a fresh session with the returned version.
 */
export async function changeOwnPassword({ ctx, input }: { ctx: Ctx; input: ChangePasswordInput }) {
  if (ctx.actor.kind !== "user") throw new UnauthenticatedError("Sign in to change your password.");
  if (ctx.actor.via !== "session") {
    throw new ForbiddenError("Change your password from a signed-in browser, not with an API token.");
  }
  const userId = ctx.actor.userId;
  const { currentPassword, newPassword } = changePasswordInput.parse(input);

  const [user] = await ctx.db
    .select({ passwordHash: users.passwordHash, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new UnauthenticatedError("Your session has ended; sign in again.");
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new InvalidInputError("currentPassword: the current password is not right.");
  }
  const problem = passwordProblem(newPassword, [user.email, user.name]);
  if (problem) throw new InvalidInputError(`newPassword: ${problem}`);
  if (newPassword === currentPassword) {
    throw new InvalidInputError("newPassword: choose a password different from the current one.");
  }
  const passwordHash = await hashPassword(newPassword);

  const sessionVersion = await inTransaction(ctx, async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: ctx.now }).where(eq(users.id, userId));
    const version = await bumpSessionVersion(tx, userId, ctx.now);
    await recordAudit(tx, ctx, { action: "user.password_changed", targetType: "user", targetId: userId });
    return version;
  });
  publish.sessionEnded(userId, "Your password was changed; sign in again.");
  return { userId, sessionVersion };
}
