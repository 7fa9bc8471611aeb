import { desc, eq } from "drizzle-orm";
import { apiTokens } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { UnauthenticatedError } from "../errors";

/** The signed-in user's own tokens (never the tokens themselves, which are not kept). */
export async function listApiTokens({ ctx }: { ctx: Ctx }) {
  requirePermission(ctx.actor, "api_tokens.manage_own");
  if (ctx.actor.kind !== "user") throw new UnauthenticatedError("Sign-in is required.");
  return ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      displayPrefix: apiTokens.displayPrefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, ctx.actor.userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}
