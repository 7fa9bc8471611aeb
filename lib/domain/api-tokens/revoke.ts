import { and, eq, isNull } from "drizzle-orm";
import { apiTokens } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError, NotFoundError, UnauthenticatedError } from "../errors";
import { revokeApiTokenInput, type RevokeApiTokenInput } from "./schemas";

/** Revokes one of the signed-in user's own tokens; another user's token is simply not found. */
export async function revokeApiToken({ ctx, input }: { ctx: Ctx; input: RevokeApiTokenInput }) {
  requirePermission(ctx.actor, "api_tokens.manage_own");
  if (ctx.actor.kind !== "user") throw new UnauthenticatedError("Sign-in is required.");
  const userId = ctx.actor.userId;
  const { tokenId } = revokeApiTokenInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    const [token] = await tx
      .select({ id: apiTokens.id, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)));
    if (!token) throw new NotFoundError("That token does not exist.");
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: ctx.now })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, revokedAt: apiTokens.revokedAt });
    if (!row) throw new ConflictError("That token is already revoked.");
    await recordAudit(tx, ctx, { action: "api_token.revoked", targetType: "api_token", targetId: tokenId });
    return row;
  });
}
