import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import {
  conversations,
  messageOriginals,
  messages,
  outbox,
  retentionRuns,
  webhookEvents,
  type RetentionRun,
} from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { clearReviewNotes } from "../sla/review-notes";
import { requirePermission, type Ctx } from "../context";
import { deleteExpiredOriginals } from "./originals";
import { readPrivacySettings } from "./settings";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Conversations per transaction: each batch holds its locks for milliseconds, not the whole sweep. */
export const RETENTION_BATCH = 100;
/** An upper bound per run, so a first sweep over years of history spreads over several runs. */
export const RETENTION_MAX_BATCHES = 500;

/**
 * Removes the contents of resolved conversations older than the retention period, in short
 * transactions of `batchSize` conversations (SKIP LOCKED, so live work and other instances are
 * never waited for), plus expired originals of masked secrets and old raw webhook bodies.
 * Rows, counts and timestamps stay for reports. Each run is recorded in retention_runs.
 */
export async function runRetention({
  db,
  now,
  batchSize = RETENTION_BATCH,
  maxBatches = RETENTION_MAX_BATCHES,
}: {
  db: Database;
  now: Date;
  batchSize?: number;
  maxBatches?: number;
}): Promise<RetentionRun> {
  const settings = await readPrivacySettings(db);
  const [run] = await db
    .insert(retentionRuns)
    .values({ startedAt: now, retentionDays: settings.retentionDays })
    .returning();
  if (!run) throw new Error("retention run insert returned no row");
  const totals = { conversationsRedacted: 0, messagesRedacted: 0, originalsDeleted: 0, batches: 0 };
  let error: string | null = null;
  try {
    totals.originalsDeleted += await db.transaction((tx) => deleteExpiredOriginals(tx, now));
    if (settings.retentionDays !== null) {
      const cutoff = new Date(now.getTime() - settings.retentionDays * DAY_MS);
      while (totals.batches < maxBatches) {
        const batch = await db.transaction(async (tx) => {
          const due = await tx
            .select({ id: conversations.id })
            .from(conversations)
            .where(
              and(
                eq(conversations.status, "resolved"),
                lt(conversations.resolvedAt, cutoff),
                isNull(conversations.contentsRedactedAt),
              ),
            )
            .orderBy(conversations.resolvedAt)
            .limit(batchSize)
            .for("update", { skipLocked: true });
          if (due.length === 0) return { conversations: 0, messages: 0, originals: 0 };
          const ids = due.map((row) => row.id);
          const messageIds = tx
            .select({ id: messages.id })
            .from(messages)
            .where(inArray(messages.conversationId, ids));
          const originals = await tx
            .delete(messageOriginals)
            .where(inArray(messageOriginals.messageId, messageIds))
            .returning({ id: messageOriginals.messageId });
          await tx
            .update(outbox)
            .set({ request: { redacted: true } })
            .where(and(inArray(outbox.conversationId, ids), inArray(outbox.status, ["done", "failed"])));
          const redacted = await tx
            .update(messages)
            .set({ body: null, payload: null, redactedAt: now })
            .where(and(inArray(messages.conversationId, ids), isNull(messages.redactedAt)))
            .returning({ id: messages.id });
          await tx
            .update(conversations)
            .set({ lastMessagePreview: null, contentsRedactedAt: now })
            .where(inArray(conversations.id, ids));
          // Breach-review notes often quote the customer; the review itself stays for reports.
          await clearReviewNotes(tx, ids, now);
          return { conversations: ids.length, messages: redacted.length, originals: originals.length };
        });
        if (batch.conversations === 0) break;
        totals.batches += 1;
        totals.conversationsRedacted += batch.conversations;
        totals.messagesRedacted += batch.messages;
        totals.originalsDeleted += batch.originals;
        if (batch.conversations < batchSize) break;
      }
      // Raw webhook bodies hold the same texts; processed ones past the period are not kept either.
      await db.delete(webhookEvents).where(
        inArray(
          webhookEvents.id,
          db
            .select({ id: webhookEvents.id })
            .from(webhookEvents)
            .where(and(lt(webhookEvents.receivedAt, cutoff), sql`${webhookEvents.processedAt} is not null`))
            .limit(batchSize * 10),
        ),
      );
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const [finished] = await db
    .update(retentionRuns)
    .set({ ...totals, finishedAt: new Date(Math.max(Date.now(), now.getTime())), error })
    .where(eq(retentionRuns.id, run.id))
    .returning();
  return finished ?? run;
}

/** "Run now" on /admin/privacy: one sweep at the admin's request, audited. */
export async function runRetentionNow({ ctx }: { ctx: Ctx }): Promise<RetentionRun> {
  requirePermission(ctx.actor, "retention.manage");
  const run = await runRetention({ db: ctx.db, now: ctx.now });
  await recordAudit(ctx.db, ctx, {
    action: "retention.run",
    targetType: "retention_run",
    targetId: String(run.id),
    details: {
      conversationsRedacted: run.conversationsRedacted,
      messagesRedacted: run.messagesRedacted,
      originalsDeleted: run.originalsDeleted,
    },
  });
  return run;
}
