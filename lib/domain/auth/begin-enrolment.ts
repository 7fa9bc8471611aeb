import { and, eq, isNull } from "drizzle-orm";
import { decryptSecret, encryptSecret } from "@/lib/auth/crypto";
import { generateTotpSecret, totpIssuer, totpUri } from "@/lib/auth/totp";
import { users } from "@/lib/db/schema";
import type { Ctx } from "../context";
import { ConflictError, UnauthenticatedError } from "../errors";

export interface EnrolmentStart {
  secret: string;
  otpauthUri: string;
  issuer: string;
  accountName: string;
}

/**
 * The signed-in user's pending TOTP secret, created on first call and kept (encrypted) until
 * confirmed, so reloading the enrolment page shows the same QR code.
 */
export async function beginTotpEnrolment({ ctx }: { ctx: Ctx }): Promise<EnrolmentStart> {
  if (ctx.actor.kind !== "user")
    throw new UnauthenticatedError("Sign in to set up two-factor authentication.");
  const userId = ctx.actor.userId;

  const read = async () => {
    const [user] = await ctx.db
      .select({ email: users.email, secret: users.totpSecretEncrypted, enabledAt: users.totpEnabledAt })
      .from(users)
      .where(eq(users.id, userId));
    if (!user) throw new UnauthenticatedError("Your session has ended; sign in again.");
    if (user.enabledAt) throw new ConflictError("Two-factor authentication is already set up.");
    return user;
  };

  let user = await read();
  if (!user.secret) {
    // Two tabs may race here; the conditional update keeps whichever secret was stored first.
    await ctx.db
      .update(users)
      .set({ totpSecretEncrypted: encryptSecret(generateTotpSecret()), updatedAt: ctx.now })
      .where(and(eq(users.id, userId), isNull(users.totpSecretEncrypted)));
    user = await read();
  }
  if (!user.secret) throw new ConflictError("Enrolment could not start; reload the page.");
  const secret = decryptSecret(user.secret);
  return { secret, otpauthUri: totpUri(secret, user.email), issuer: totpIssuer, accountName: user.email };
}
