import { apiTokens } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ForbiddenError } from "../errors";
import { createApiTokenInput, type CreateApiTokenInput } from "./schemas";
import { generateApiToken, hashApiToken } from "./token-format";

/** A personal API token for the signed-in user, carrying their permissions; the token is shown once. */
export async function createApiToken({ ctx, input }: { ctx: Ctx; input: CreateApiTokenInput }) {
  requirePermission(ctx.actor, "api_tokens.manage_own");
  if (ctx.actor.kind !== "user" || ctx.actor.via !== "session") {
    throw new ForbiddenError("Create API tokens from a signed-in browser session.");
  }
  const { name } = createApiTokenInput.parse(input);
  const token = generateApiToken();
  const userId = ctx.actor.userId;
  const row = await inTransaction(ctx, async (tx) => {
    const [created] = await tx
      .insert(apiTokens)
      .values({
        userId,
        name,
        tokenHash: hashApiToken(token),
        displayPrefix: token.slice(0, 12),
        createdAt: ctx.now,
      })
      .returning();
    if (!created) throw new Error("token insert returned nothing");
    await recordAudit(tx, ctx, {
      action: "api_token.created",
      targetType: "api_token",
      targetId: created.id,
      details: { name },
    });
    return created;
  });
  return { id: row.id, name: row.name, displayPrefix: row.displayPrefix, createdAt: row.createdAt, token };
}
