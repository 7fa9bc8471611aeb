import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { users } from "@/lib/db/schema";

/**
 * Ends every session of the user: sessions carry the version they were issued with, and each
 * request compares it with this column. Call publish.sessionEnded after commit for the sockets.
 */
export async function bumpSessionVersion(tx: Executor, userId: string, now: Date): Promise<number> {
  const [row] = await tx
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: now })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  if (!row) throw new Error(`user ${userId} vanished while ending its sessions`);
  return row.sessionVersion;
}
