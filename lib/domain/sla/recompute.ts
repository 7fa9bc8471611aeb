import { and, asc, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { conversations, slaEvents } from "@/lib/db/schema";
import { clockStateOf, type SlaChange } from "./clock";
import { deadlineFor } from "./deadlines";
import type { InboxSlaSettings } from "./inbox-settings";

const BATCH = 500;

/**
 * After an inbox's calendar or policy changed: recomputes every running clock that has not
 * breached from its message's arrival under the new settings, in the caller's transaction.
 * Breached clocks keep their deadline: a breach already announced is history, not rewritten.
 * A new deadline already in the past is marked breached by the ticker's next tick.
 */
export async function recomputeRunningClocks(
  tx: Executor,
  { settings, now }: { settings: InboxSlaSettings; now: Date },
): Promise<SlaChange[]> {
  const rows = await tx
    .select({ id: slaEvents.id, kind: slaEvents.kind, startedAt: slaEvents.startedAt })
    .from(slaEvents)
    .where(
      and(
        eq(slaEvents.inboxId, settings.inboxId),
        isNull(slaEvents.metAt),
        isNull(slaEvents.stoppedAt),
        isNull(slaEvents.breachedAt),
      ),
    )
    .orderBy(asc(slaEvents.id))
    .for("update");

  const changes: SlaChange[] = [];
  for (let offset = 0; offset < rows.length; offset += BATCH) {
    const values = rows.slice(offset, offset + BATCH).map((row) => {
      const deadline = deadlineFor({
        arrivedAt: row.startedAt,
        kind: row.kind,
        calendar: settings.calendar,
        policy: settings.policy,
      });
      return sql`(${row.id}::uuid, ${deadline.clockStartedAt.toISOString()}::timestamptz, ${deadline.dueAt.toISOString()}::timestamptz, ${deadline.atRiskAt.toISOString()}::timestamptz, ${deadline.targetMinutes}::int, ${deadline.clock}::text)`;
    });
    const updated = await tx
      .update(slaEvents)
      .set({
        clockStartedAt: sql`v.clock_started_at`,
        dueAt: sql`v.due_at`,
        atRiskAt: sql`v.at_risk_at`,
        targetMinutes: sql`v.target_minutes`,
        clock: sql`v.clock`,
        updatedAt: now,
      })
      .from(
        sql`(values ${sql.join(values, sql`, `)}) as v(id, clock_started_at, due_at, at_risk_at, target_minutes, clock)`,
      )
      .where(and(eq(slaEvents.id, sql`v.id`), isNull(slaEvents.metAt), isNull(slaEvents.stoppedAt)))
      .returning(getTableColumns(slaEvents));
    for (const event of updated) {
      changes.push({
        conversationId: event.conversationId,
        inboxId: event.inboxId,
        what: "recomputed",
        clock: clockStateOf(event),
        event,
      });
    }
  }

  if (changes.length > 0) {
    await tx
      .update(conversations)
      .set({
        slaStartedAt: slaEvents.clockStartedAt,
        slaDueAt: slaEvents.dueAt,
        slaAtRiskAt: slaEvents.atRiskAt,
      })
      .from(slaEvents)
      .where(
        and(
          eq(slaEvents.conversationId, conversations.id),
          eq(slaEvents.inboxId, settings.inboxId),
          isNull(slaEvents.metAt),
          isNull(slaEvents.stoppedAt),
          isNull(slaEvents.breachedAt),
        ),
      );
  }
  return changes;
}
