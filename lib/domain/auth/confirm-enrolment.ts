import { and, eq, isNull, sql } from "drizzle-orm";
import { decryptSecret } from "@/lib/auth/crypto";
import { generateRecoveryCodes, hashRecoveryCode } from "@/lib/auth/recovery-codes";
import { matchTotpStep } from "@/lib/auth/totp";
import { recoveryCodes, users } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { recordAudit } from "../audit";
import { inTransaction, type Ctx } from "../context";
import { ConflictError, InvalidInputError, UnauthenticatedError } from "../errors";
import { confirmEnrolmentInput, type ConfirmEnrolmentInput } from "./schemas";

export interface EnrolmentResult {
  /** Shown once; only their hashes are kept. */
  recoveryCodes: string[];
  /** The new session version; the caller issues a fresh, fully signed-in session with it. */
  sessionVersion: number;
}

/**
 * Turns on 2FA once the user proves their app produces the right codes; issues ten recovery codes
 * and ends every other session (a 2FA change always does).
 */
export async function confirmTotpEnrolment({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ConfirmEnrolmentInput;
}): Promise<EnrolmentResult> {
  if (ctx.actor.kind !== "user")
    throw new UnauthenticatedError("Sign in to set up two-factor authentication.");
  const userId = ctx.actor.userId;
  const { code } = confirmEnrolmentInput.parse(input);

  const codes = generateRecoveryCodes();
  const sessionVersion = await inTransaction(ctx, async (tx) => {
    const [user] = await tx
      .select({ secret: users.totpSecretEncrypted, enabledAt: users.totpEnabledAt })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!user) throw new UnauthenticatedError("Your session has ended; sign in again.");
    if (user.enabledAt) throw new ConflictError("Two-factor authentication is already set up.");
    if (!user.secret) throw new ConflictError("Enrolment has not started; reload the page.");

    const step = matchTotpStep(decryptSecret(user.secret), code, ctx.now);
    if (step === null) {
      throw new InvalidInputError(
        "That code is not right. Check that your phone's clock is set automatically and enter the current code.",
      );
    }
    const [row] = await tx
      .update(users)
      .set({
        totpEnabledAt: ctx.now,
        totpLastUsedStep: step,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        updatedAt: ctx.now,
      })
      .where(and(eq(users.id, userId), isNull(users.totpEnabledAt)))
      .returning({ sessionVersion: users.sessionVersion });
    if (!row) throw new ConflictError("Two-factor authentication is already set up.");

    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })));
    await recordAudit(tx, ctx, {
      action: "auth.two_factor_enabled",
      targetType: "user",
      targetId: userId,
      details: { recoveryCodes: codes.length },
    });
    return row.sessionVersion;
  });

  publish.sessionEnded(userId);
  return { recoveryCodes: codes, sessionVersion };
}
