import { and, asc, eq, inArray, isNull, lt } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { contacts, conversations, inboxes, slaEvents, users } from "@/lib/db/schema";
import type { SlaBreachedEvent } from "@/lib/realtime/events";

/** How many clocks one tick marks at most; a full batch makes the ticker come back at once. */
export const BREACH_BATCH = 500;

/**
 * Marks running clocks past due (`due_at < now`) as breached, once: one conditional UPDATE over
 * rows claimed with SKIP LOCKED, so ticks running at the same time on several instances never
 * mark a clock twice. Returns what this call marked, ready to publish after commit.
 */
export async function markBreaches(
  tx: Executor,
  { now, limit = BREACH_BATCH }: { now: Date; limit?: number },
): Promise<SlaBreachedEvent[]> {
  const unmarked = and(
    isNull(slaEvents.metAt),
    isNull(slaEvents.stoppedAt),
    isNull(slaEvents.breachedAt),
    lt(slaEvents.dueAt, now),
  );
  const claimed = tx
    .select({ id: slaEvents.id })
    .from(slaEvents)
    .where(unmarked)
    .orderBy(asc(slaEvents.dueAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  const marked = await tx
    .update(slaEvents)
    .set({ breachedAt: now, updatedAt: now })
    .where(and(inArray(slaEvents.id, claimed), unmarked))
    .returning({ id: slaEvents.id, conversationId: slaEvents.conversationId });
  if (marked.length === 0) return [];

  const ids = marked.map((event) => event.id);
  await tx
    .update(conversations)
    .set({ slaBreachedAt: now })
    .where(
      inArray(
        conversations.id,
        marked.map((event) => event.conversationId),
      ),
    );

  const rows = await tx
    .select({
      slaEventId: slaEvents.id,
      conversationId: slaEvents.conversationId,
      inboxId: slaEvents.inboxId,
      inboxName: inboxes.name,
      kind: slaEvents.kind,
      dueAt: slaEvents.dueAt,
      breachedAt: slaEvents.breachedAt,
      contactName: contacts.profileName,
      assigneeId: conversations.assigneeId,
      assigneeName: users.name,
    })
    .from(slaEvents)
    .innerJoin(conversations, eq(conversations.id, slaEvents.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(inboxes, eq(inboxes.id, slaEvents.inboxId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .where(inArray(slaEvents.id, ids))
    .orderBy(asc(slaEvents.dueAt));
  return rows.map((row) => ({
    ...row,
    dueAt: row.dueAt.toISOString(),
    breachedAt: (row.breachedAt ?? now).toISOString(),
  }));
}
