import { inArray } from "drizzle-orm";
import { encryptSecret } from "@/lib/auth/crypto";
import { hashPassword } from "@/lib/auth/password";
import { generatePassword, passwordProblem } from "@/lib/auth/password-policy";
import { generateRecoveryCodes, hashRecoveryCode } from "@/lib/auth/recovery-codes";
import { generateTotpSecret } from "@/lib/auth/totp";
import { isUniqueViolation } from "@/lib/db/errors";
import { inboxes, inboxMembers, recoveryCodes, users, type UserRole } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError, ForbiddenError, InvalidInputError } from "../errors";
import type { InboxRef } from "./inboxes-of";
import { createUserInput, type CreateUserInput } from "./schemas";

export interface CreatedUser {
  user: { id: string; email: string; name: string; role: UserRole; inboxes: InboxRef[] };
  /** Present when Parley chose the password; shown once. */
  generatedPassword?: string;
  /** Present with `withTwoFactor` (command line only): base32 TOTP secret and recovery codes. */
  totpSecret?: string;
  recoveryCodes?: string[];
}

/**
 * Invites a team member with a role and inboxes. Without a password one is generated and returned
 * once. `withTwoFactor` enrols them at once, for scripted set-ups from the command line only: an
 * admin in the browser must never hold someone else's second factor.
 */
export async function createUser({
  ctx,
  input,
  withTwoFactor = false,
}: {
  ctx: Ctx;
  input: CreateUserInput;
  withTwoFactor?: boolean;
}): Promise<CreatedUser> {
  requirePermission(ctx.actor, "users.manage");
  const data = createUserInput.parse(input);
  if (withTwoFactor && ctx.actor.kind !== "system") {
    throw new ForbiddenError("Only the command line may enrol a new user's two-factor authentication.");
  }
  const password = data.password ?? generatePassword();
  const problem = passwordProblem(password, [data.email, data.name]);
  if (problem) throw new InvalidInputError(problem);
  const passwordHash = await hashPassword(password);
  const totpSecret = withTwoFactor ? generateTotpSecret() : undefined;
  const codes = withTwoFactor ? generateRecoveryCodes() : undefined;

  const created = await inTransaction(ctx, async (tx) => {
    const memberOf =
      data.inboxIds.length === 0
        ? []
        : await tx
            .select({ id: inboxes.id, name: inboxes.name })
            .from(inboxes)
            .where(inArray(inboxes.id, data.inboxIds));
    if (memberOf.length !== data.inboxIds.length) {
      throw new InvalidInputError("inboxIds: one of the inboxes does not exist.");
    }
    const [user] = await tx
      .insert(users)
      .values({
        email: data.email,
        name: data.name,
        role: data.role,
        passwordHash,
        totpSecretEncrypted: totpSecret ? encryptSecret(totpSecret) : null,
        totpEnabledAt: totpSecret ? ctx.now : null,
        accessReviewedAt: ctx.now,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new ConflictError("A user with that email already exists.");
        throw error;
      });
    if (!user) throw new Error("user insert returned nothing");
    if (memberOf.length > 0) {
      await tx.insert(inboxMembers).values(memberOf.map((inbox) => ({ inboxId: inbox.id, userId: user.id })));
    }
    if (codes) {
      await tx
        .insert(recoveryCodes)
        .values(codes.map((c) => ({ userId: user.id, codeHash: hashRecoveryCode(c) })));
    }
    await recordAudit(tx, ctx, {
      action: "user.created",
      targetType: "user",
      targetId: user.id,
      details: {
        email: user.email,
        role: user.role,
        inboxes: memberOf.map((i) => i.name),
        twoFactorEnrolled: withTwoFactor,
      },
    });
    return { id: user.id, email: user.email, name: user.name, role: user.role, inboxes: memberOf };
  });

  return {
    user: created,
    ...(data.password === undefined ? { generatedPassword: password } : {}),
    ...(totpSecret ? { totpSecret, recoveryCodes: codes } : {}),
  };
}
