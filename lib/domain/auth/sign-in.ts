import { and, count, eq, isNull, sql } from "drizzle-orm";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { recoveryCodes, users, type UserRole } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import type { Ctx } from "../context";
import { UnauthenticatedError } from "../errors";
import { signInInput, type SignInInput } from "./schemas";
import { isFirstRefusal, releaseSignInAttempt, reserveSignInAttempt, SignInThrottledError } from "./throttle";
import { consumeSecondFactor } from "./verify-second-factor";

export interface SignedInUser {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  sessionVersion: number;
  /** False: the password was right but 2FA is not set up; the session may only reach enrolment. */
  twoFactor: boolean;
}

/** The same words whether the email is unknown, the password wrong or the account deactivated. */
export const badCredentialsMessage = "The email or password is not right.";
export const wrongCodeMessage =
  "That code is not right. Enter the current 6-digit code from your authenticator app, or a recovery code.";
export const reusedCodeMessage = "That code has already been used; wait for the next one and try again.";
export const codeRequiredMessage =
  "Enter the 6-digit code from your authenticator app, or one of your recovery codes.";

let dummyHash: Promise<string> | undefined;
/** Unknown emails still cost one argon2 verification, so timing does not tell who has an account. */
async function spendVerification(password: string) {
  dummyHash ??= hashPassword("parley-timing-equaliser-password");
  await verifyPassword(await dummyHash, password);
}

/**
 * Checks email, password and second factor for next-auth's credentials provider. Throttled per
 * account and per address before any check; failures and lock-outs are audited; the messages never
 * say whether the email exists.
 */
export async function signInWithCredentials({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SignInInput;
}): Promise<SignedInUser> {
  const { email, password, code } = signInInput.parse(input);
  const anonymous = { kind: "anonymous" as const, id: null };

  let reservation;
  try {
    reservation = await reserveSignInAttempt(ctx.db, { email, ip: ctx.ip }, ctx.now);
  } catch (error) {
    if (error instanceof SignInThrottledError && (await isFirstRefusal(ctx.db, error.lockedKey, ctx.now))) {
      await recordAudit(ctx.db, ctx, {
        action: "auth.locked_out",
        actor: anonymous,
        targetType: error.lockedKey.startsWith("account:") ? "account" : "ip",
        targetId: error.lockedKey.slice(error.lockedKey.indexOf(":") + 1),
        details: { email, retryAfterSeconds: error.retryAfterSeconds },
      });
    }
    throw error;
  }

  const [user] = await ctx.db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`);

  const fail = async (reason: string, message: string, userId: string | null) => {
    await recordAudit(ctx.db, ctx, {
      action: "auth.sign_in_failed",
      actor: anonymous,
      targetType: userId ? "user" : "account",
      targetId: userId ?? email,
      details: { email, reason },
    });
    return new UnauthenticatedError(message);
  };

  if (!user?.passwordHash) {
    await spendVerification(password);
    throw await fail(user ? "no_password" : "unknown_email", badCredentialsMessage, user?.id ?? null);
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw await fail("wrong_password", badCredentialsMessage, user.id);
  }
  if (user.status !== "active") throw await fail("deactivated", badCredentialsMessage, user.id);

  const enrolled = user.totpEnabledAt !== null;
  let method: string = "password";
  if (enrolled) {
    if (!code) {
      // Not a failure: the password was right and the second step follows.
      await releaseSignInAttempt(ctx.db, reservation);
      throw new UnauthenticatedError(codeRequiredMessage, { secondFactorRequired: true });
    }
    const result = await consumeSecondFactor(ctx.db, user, code, ctx.now);
    if (!result.ok) {
      throw await fail(
        result.reason,
        result.reason === "reused_code" ? reusedCodeMessage : wrongCodeMessage,
        user.id,
      );
    }
    method = result.method;
  }

  await releaseSignInAttempt(ctx.db, reservation);
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ lastLoginAt: ctx.now }).where(eq(users.id, user.id));
    const details: Record<string, unknown> = { method, enrolmentRequired: !enrolled };
    if (method === "recovery_code") {
      const [left] = await tx
        .select({ n: count() })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)));
      details.recoveryCodesLeft = left?.n ?? 0;
    }
    await recordAudit(tx, ctx, {
      action: "auth.signed_in",
      actor: { kind: "user", id: user.id },
      targetType: "user",
      targetId: user.id,
      details,
    });
  });

  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    sessionVersion: user.sessionVersion,
    twoFactor: enrolled,
  };
}
