import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { recoveryCodes, users } from "@/lib/db/schema";
import { decryptSecret } from "@/lib/auth/crypto";
import { hashRecoveryCode, looksLikeRecoveryCode } from "@/lib/auth/recovery-codes";
import { looksLikeTotpCode, matchTotpStep } from "@/lib/auth/totp";

export type SecondFactorResult =
  { ok: true; method: "totp" | "recovery_code" } | { ok: false; reason: "wrong_code" | "reused_code" };

/**
 * Checks a TOTP or recovery code and consumes it in the same statement: a TOTP step is accepted
 * only if later than the last one accepted, a recovery code only while unused. Two requests
 * racing with the same code cannot both win, because the database settles it.
 */
export async function consumeSecondFactor(
  db: Executor,
  user: { id: string; totpSecretEncrypted: string | null },
  code: string,
  now: Date,
): Promise<SecondFactorResult> {
  if (looksLikeTotpCode(code) && user.totpSecretEncrypted) {
    const step = matchTotpStep(decryptSecret(user.totpSecretEncrypted), code, now);
    if (step === null) return { ok: false, reason: "wrong_code" };
    const accepted = await db
      .update(users)
      .set({ totpLastUsedStep: step })
      .where(and(eq(users.id, user.id), or(isNull(users.totpLastUsedStep), lt(users.totpLastUsedStep, step))))
      .returning({ id: users.id });
    return accepted.length > 0 ? { ok: true, method: "totp" } : { ok: false, reason: "reused_code" };
  }
  if (looksLikeRecoveryCode(code)) {
    const used = await db
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(recoveryCodes.userId, user.id),
          eq(recoveryCodes.codeHash, hashRecoveryCode(code)),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ id: recoveryCodes.id });
    return used.length > 0 ? { ok: true, method: "recovery_code" } : { ok: false, reason: "wrong_code" };
  }
  return { ok: false, reason: "wrong_code" };
}
