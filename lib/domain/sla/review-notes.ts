import { and, eq, inArray, isNotNull, sql, type SQLWrapper } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { auditLog, slaEvents } from "@/lib/db/schema";

/**
 * For erasure and retention, in their transaction: removes supervisors' breach-review notes in
 * these conversations (they often quote the customer) and the copy in each review's audit details.
 * Who reviewed, when and why stay for reports. Returns how many reviews lost their note.
 */
export async function clearReviewNotes(
  db: Executor,
  conversationIds: readonly string[] | SQLWrapper,
  now: Date,
): Promise<number> {
  const cleared = await db
    .update(slaEvents)
    .set({ reviewNote: null, updatedAt: now })
    .where(and(inArray(slaEvents.conversationId, conversationIds), isNotNull(slaEvents.reviewNote)))
    .returning({ id: slaEvents.id });
  if (cleared.length === 0) return 0;
  await db
    .update(auditLog)
    .set({ details: sql`${auditLog.details} - 'note'` })
    .where(
      and(
        eq(auditLog.targetType, "sla_event"),
        inArray(
          auditLog.targetId,
          cleared.map((row) => row.id),
        ),
      ),
    );
  return cleared.length;
}
