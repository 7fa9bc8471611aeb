import { asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { inboxes, inboxMembers } from "@/lib/db/schema";

export interface InboxRef {
  id: string;
  name: string;
}

/** Inbox memberships of several users in one query, by user id. */
export async function inboxesOfUsers(db: Executor, userIds: string[]): Promise<Map<string, InboxRef[]>> {
  const byUser = new Map<string, InboxRef[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;
  const rows = await db
    .select({ userId: inboxMembers.userId, id: inboxes.id, name: inboxes.name })
    .from(inboxMembers)
    .innerJoin(inboxes, eq(inboxes.id, inboxMembers.inboxId))
    .where(inArray(inboxMembers.userId, userIds))
    .orderBy(asc(inboxes.name));
  for (const row of rows) byUser.get(row.userId)?.push({ id: row.id, name: row.name });
  return byUser;
}

export async function allInboxes(db: Executor): Promise<InboxRef[]> {
  return db.select({ id: inboxes.id, name: inboxes.name }).from(inboxes).orderBy(asc(inboxes.name));
}
