import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { rolePermissions } from "@/lib/auth/permissions";
import { inboxMembers, userRoles, users } from "@/lib/db/schema";

/** The roles that watch the SLA board, read from the role table so the two never disagree. */
const watchingRoles = userRoles.filter((role) => rolePermissions[role].has("sla.read"));

/**
 * Who is alerted when a clock in one of `inboxIds` breaches: active members of that inbox whose
 * role may read the SLA board (supervisors and admins), by inbox.
 */
export async function slaAlertRecipients(db: Executor, inboxIds: string[]): Promise<Map<string, string[]>> {
  const recipients = new Map<string, string[]>();
  if (inboxIds.length === 0) return recipients;
  const rows = await db
    .select({ inboxId: inboxMembers.inboxId, userId: users.id })
    .from(inboxMembers)
    .innerJoin(users, eq(users.id, inboxMembers.userId))
    .where(
      and(
        inArray(inboxMembers.inboxId, [...new Set(inboxIds)]),
        eq(users.status, "active"),
        inArray(users.role, watchingRoles),
      ),
    );
  for (const row of rows) recipients.set(row.inboxId, [...(recipients.get(row.inboxId) ?? []), row.userId]);
  return recipients;
}
