import type { Executor } from "@/lib/db";
import { dataRequests, type DataRequestKind } from "@/lib/db/schema";
import type { Ctx } from "../context";

/** Records a customer data-rights request (who, when, what, why) in the caller's transaction. */
export async function recordDataRequest(
  tx: Executor,
  ctx: Ctx,
  request: { contactId: string; kind: DataRequestKind; reason?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(dataRequests).values({
    contactId: request.contactId,
    kind: request.kind,
    reason: request.reason ?? null,
    actorId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    details: request.details ?? null,
    createdAt: ctx.now,
  });
}
