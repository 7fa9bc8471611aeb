import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { apiTokens, users } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import type { Actor } from "../context";
import { ForbiddenError, UnauthenticatedError } from "../errors";
import { enrolmentRequiredMessage } from "../auth/session";
import { hashApiToken, looksLikeApiToken } from "./token-format";

/** Bursts of calls are recorded once: last use and its audit row at most every five minutes. */
const USE_RECORD_INTERVAL_MS = 5 * 60_000;

/**
 * The actor behind `Authorization: Bearer prl_…`: the token's user with their current role.
 * A revoked token, or one whose user is deactivated, is refused with 401.
 */
export async function authenticateApiToken(
  db: Database,
  token: string,
  { now, ip }: { now: Date; ip?: string },
): Promise<Actor & { kind: "user" }> {
  const invalid = new UnauthenticatedError("This API token is not valid; it may have been revoked.");
  if (!looksLikeApiToken(token)) throw invalid;
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      revokedAt: apiTokens.revokedAt,
      userId: users.id,
      name: users.name,
      role: users.role,
      status: users.status,
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashApiToken(token)));
  if (!row || row.revokedAt) throw invalid;
  if (row.status !== "active") {
    throw new UnauthenticatedError("This API token belongs to a deactivated user and no longer works.");
  }
  if (!row.totpEnabledAt) throw new ForbiddenError(enrolmentRequiredMessage, { enrolmentRequired: true });

  const actor = {
    kind: "user",
    userId: row.userId,
    role: row.role,
    name: row.name,
    via: "api_token",
    apiTokenId: row.tokenId,
  } as const;
  const recorded = await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiTokens.id, row.tokenId),
        or(
          isNull(apiTokens.lastUsedAt),
          lt(apiTokens.lastUsedAt, new Date(now.getTime() - USE_RECORD_INTERVAL_MS)),
        ),
      ),
    )
    .returning({ id: apiTokens.id });
  if (recorded.length > 0) {
    await recordAudit(
      db,
      { actor, now, ip },
      { action: "api_token.used", targetType: "api_token", targetId: row.tokenId },
    );
  }
  return actor;
}
