import { and, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { auditLog, users, type AuditActorKind } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { InvalidInputError } from "../errors";
import { decodeAuditCursor, encodeAuditCursor, listAuditLogInput, type ListAuditLogInput } from "./schemas";

export interface AuditLogItem {
  id: number;
  at: Date;
  actorKind: AuditActorKind;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The person a `user` target is, by name: ids alone tell an admin nothing. */
  targetName: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

/** The audit log, newest first, filtered by actor, action, target and time, one keyset page at a time. */
export async function listAuditLog({ ctx, input }: { ctx: Ctx; input: ListAuditLogInput }) {
  requirePermission(ctx.actor, "audit_log.read");
  const query = listAuditLogInput.parse(input);
  const filters: SQL[] = [];
  if (query.actorId) filters.push(eq(auditLog.actorId, query.actorId));
  if (query.action) filters.push(eq(auditLog.action, query.action));
  if (query.targetType) filters.push(eq(auditLog.targetType, query.targetType));
  if (query.targetId) filters.push(eq(auditLog.targetId, query.targetId));
  if (query.from) filters.push(gte(auditLog.at, new Date(query.from)));
  if (query.to) filters.push(lte(auditLog.at, new Date(query.to)));
  if (query.cursor !== undefined) {
    const cursor = decodeAuditCursor(query.cursor);
    if (!cursor) throw new InvalidInputError("The cursor is not valid; start again from the first page.");
    filters.push(
      sql`(${auditLog.at}, ${auditLog.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id})`,
    );
  }
  const targetUser = alias(users, "target_user");
  const rows = await ctx.db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorKind: auditLog.actorKind,
      actorId: auditLog.actorId,
      actorName: users.name,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      targetName: targetUser.name,
      ip: auditLog.ip,
      details: auditLog.details,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .leftJoin(
      targetUser,
      and(eq(auditLog.targetType, "user"), sql`${targetUser.id}::text = ${auditLog.targetId}`),
    )
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(query.limit + 1);
  const items: AuditLogItem[] = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeAuditCursor({ at: last.at, id: last.id }) : null,
  };
}
