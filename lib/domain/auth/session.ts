import { eq } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { users, type UserRole } from "@/lib/db/schema";
import { ForbiddenError, UnauthenticatedError } from "../errors";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  sessionVersion: number;
  twoFactorEnabled: boolean;
}

export const enrolmentRequiredMessage =
  "Set up two-factor authentication first: open /enroll to finish signing in.";

/**
 * The user behind a session, re-read on every request: a deactivated user, or a session issued
 * before the user's session_version was bumped, is signed out.
 */
export async function resolveSessionUser(
  db: Executor,
  claims: { userId: string; sessionVersion: number; twoFactor: boolean },
  { allowEnrolment = false }: { allowEnrolment?: boolean } = {},
): Promise<SessionUser> {
  const [user] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      status: users.status,
      sessionVersion: users.sessionVersion,
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(users)
    .where(eq(users.id, claims.userId));
  if (!user || user.status !== "active" || user.sessionVersion !== claims.sessionVersion) {
    throw new UnauthenticatedError("Your session has ended; sign in again.");
  }
  const twoFactorEnabled = user.totpEnabledAt !== null;
  if (!claims.twoFactor || !twoFactorEnabled) {
    if (!allowEnrolment) throw new ForbiddenError(enrolmentRequiredMessage, { enrolmentRequired: true });
  }
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    sessionVersion: user.sessionVersion,
    twoFactorEnabled,
  };
}
