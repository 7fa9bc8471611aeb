import type { Permission } from "@/lib/auth/permissions";
import { roleHasPermission } from "@/lib/auth/permissions";
import type { Database, Transaction } from "@/lib/db";
import type { UserRole } from "@/lib/db/schema";
import { ForbiddenError } from "./errors";

/** Who is acting: a signed-in user (session or API token), or Parley itself (workers, webhooks). */
export type Actor =
  | ({ kind: "user"; userId: string; role: UserRole; name: string } & (
      { via: "session" } | { via: "api_token"; apiTokenId: string }
    ))
  | { kind: "system"; reason: string };

/** Everything a domain verb needs from its caller; `now` is an input so tests can pin time. */
export interface Ctx {
  actor: Actor;
  db: Database;
  now: Date;
  /** The client's address, for the audit log and throttling. */
  ip?: string;
}

export function userCan(actor: Actor, permission: Permission): boolean {
  return actor.kind === "system" || roleHasPermission(actor.role, permission);
}

/** The first line of every permissioned verb. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!userCan(actor, permission)) {
    throw new ForbiddenError(`Your role does not allow this (${permission}).`);
  }
}

/** Runs `work` in one transaction: the change, its audit row and its outbox rows commit together. */
export function inTransaction<T>(ctx: Ctx, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return ctx.db.transaction(work);
}
