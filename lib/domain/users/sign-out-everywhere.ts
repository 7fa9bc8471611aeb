import { publish } from "@/lib/realtime/publish";
import { recordAudit } from "../audit";
import { inTransaction, type Ctx } from "../context";
import { UnauthenticatedError } from "../errors";
import { bumpSessionVersion } from "./end-sessions";

/** Ends every session of the signed-in user, on every device, this one included. */
export async function signOutEverywhere({ ctx }: { ctx: Ctx }) {
  if (ctx.actor.kind !== "user") throw new UnauthenticatedError("Sign in first.");
  const userId = ctx.actor.userId;
  await inTransaction(ctx, async (tx) => {
    await bumpSessionVersion(tx, userId, ctx.now);
    await recordAudit(tx, ctx, {
      action: "user.signed_out_everywhere",
      targetType: "user",
      targetId: userId,
    });
  });
  publish.sessionEnded(userId, "You signed out everywhere.");
  return { userId };
}
