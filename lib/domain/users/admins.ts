import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { ConflictError } from "../errors";

/**
 * Refuses a change that would leave no active admin. The active admins are locked (in id order,
 * so concurrent changes queue rather than deadlock) until the caller's transaction ends.
 */
export async function ensureAnotherActiveAdmin(tx: Executor, losingAdminId: string): Promise<void> {
  const admins = await lockActiveAdmins(tx);
  const remaining = admins.filter((admin) => admin.id !== losingAdminId);
  if (remaining.length === 0) {
    throw new ConflictError("This is the last active admin; make someone else an admin first.");
  }
}

/** Locks every active admin row in id order; returns their ids. */
export function lockActiveAdmins(tx: Executor): Promise<{ id: string }[]> {
  return tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.status, "active")))
    .orderBy(asc(users.id))
    .for("update");
}
