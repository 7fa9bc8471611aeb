import type { Executor } from "@/lib/db";
import { auditLog, type AuditActorKind } from "@/lib/db/schema";
import type { Actor, Ctx } from "./context";

export interface AuditRecord {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  /** Who acted when it is not the context's actor (an anonymous sign-in attempt, a user signing in). */
  actor?: { kind: AuditActorKind; id: string | null };
}

function actorColumns(actor: Actor) {
  if (actor.kind === "system") return { actorKind: "system" as const, actorId: null };
  return {
    actorKind: actor.via === "api_token" ? ("api_token" as const) : ("user" as const),
    actorId: actor.userId,
  };
}

/** Appends to the audit log through the caller's transaction, so it commits with the change. */
export async function recordAudit(tx: Executor, ctx: Pick<Ctx, "actor" | "now" | "ip">, record: AuditRecord) {
  await tx.insert(auditLog).values({
    ...(record.actor ? { actorKind: record.actor.kind, actorId: record.actor.id } : actorColumns(ctx.actor)),
    action: record.action,
    targetType: record.targetType ?? null,
    targetId: record.targetId ?? null,
    details: record.details ?? null,
    ip: ctx.ip ?? null,
    at: ctx.now,
  });
}
