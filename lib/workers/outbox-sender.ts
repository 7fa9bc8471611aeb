import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/lib/db";
import { queryRows } from "@/lib/db/raw";
import { retryOnConflict } from "@/lib/db/retry";
import { messages, outbox, type OutboxKind } from "@/lib/db/schema";
import { closeWindow, lockWamid, recordSentWamid } from "@/lib/domain/messages/delivery";
import { conversationAudience, judgeOutbound, outboundKindOf } from "@/lib/domain/consents/gate";
import { consentPurposes, type ConsentPurpose } from "@/lib/policy/consent";
import { conversationChangedEvent } from "@/lib/domain/messages/announce";
import { describeError, log } from "@/lib/log";
import { publish } from "@/lib/realtime/publish";
import { describeWhatsAppError, WINDOW_CLOSED_CODE } from "@/lib/whatsapp/errors";
import type { GraphClient, GraphFailure } from "@/lib/whatsapp/graph-client";

/**
 * Drains the outbox: claims due rows with FOR UPDATE SKIP LOCKED (so any number of workers on
 * any number of instances share the work), marks them in flight under a lease, calls the Graph
 * API outside any transaction, then records the outcome.
 *
 * Delivery guarantee: a row whose send succeeded is never sent again (the outcome is recorded
 * under the claim's fencing token). If a worker dies after claiming, its lease expires and the
 * row is sent again: when the process died mid-request we cannot know whether Meta got it, so
 * that one case is at-least-once. The row id travels as the Idempotency-Key header; Meta ignores
 * it, the simulator honours it, so tests can show exactly-once end to end.
 */

export interface OutboxSenderOptions {
  db: Database;
  graph: GraphClient;
  /** The clock: read when claiming and again when recording each outcome. */
  now: () => Date;
  batchSize?: number;
  /** How long a claim lasts; longer than the Graph client's timeout. */
  leaseMs?: number;
  maxAttempts?: number;
  /** 0 ≤ random() < 1, for backoff jitter. */
  random?: () => number;
}

interface ClaimedJob {
  id: string;
  kind: OutboxKind;
  inboxId: string;
  conversationId: string | null;
  messageId: string | null;
  request: Record<string, unknown>;
  attempts: number;
  phoneNumberId: string;
  purpose: ConsentPurpose;
  isOptOutConfirmation: boolean;
}

const claimedRow = z.object({
  id: z.string(),
  kind: z.enum(["send_message", "mark_read"]),
  inbox_id: z.string(),
  conversation_id: z.string().nullable(),
  message_id: z.string().nullable(),
  request: z.record(z.string(), z.unknown()),
  attempts: z.coerce.number(),
  phone_number_id: z.string(),
  purpose: z.enum(consentPurposes),
  is_opt_out_confirmation: z.boolean(),
});

const markReadBody = z.object({ message_id: z.string(), typing_indicator: z.unknown().optional() });

export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/** Exponential backoff with jitter: about 2 s, 4 s, 8 s… capped at 5 minutes. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Claims due rows: queued ones whose retry time has come and in-flight ones whose lease ran out.
 * A conversation's sends go out in the order they were written: a row waits while an earlier
 * send to the same conversation is still pending.
 */
async function claim(db: Database, now: Date, batchSize: number, leaseMs: number): Promise<ClaimedJob[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await queryRows(
    db,
    sql`
      with claimed as (
        update ${outbox}
        set status = 'in_flight', attempts = attempts + 1,
            next_attempt_at = ${leaseUntil.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
        where id in (
          select candidate.id from ${outbox} as candidate
          where candidate.status in ('queued', 'in_flight')
            and candidate.next_attempt_at <= ${now.toISOString()}::timestamptz
            and not (
              candidate.kind = 'send_message' and exists (
                select 1 from ${outbox} as earlier
                where earlier.kind = 'send_message'
                  and earlier.conversation_id = candidate.conversation_id
                  and earlier.status in ('queued', 'in_flight')
                  and earlier.seq < candidate.seq
              )
            )
          order by candidate.next_attempt_at, candidate.seq
          limit ${batchSize}
          for update skip locked
        )
        returning id, kind, inbox_id, conversation_id, message_id, request, attempts, purpose,
                  is_opt_out_confirmation
      )
      select claimed.*, inboxes.phone_number_id
      from claimed join inboxes on inboxes.id = claimed.inbox_id
    `,
  );
  return rows.map((raw) => {
    const row = claimedRow.parse(raw);
    return {
      id: row.id,
      kind: row.kind,
      inboxId: row.inbox_id,
      conversationId: row.conversation_id,
      messageId: row.message_id,
      request: row.request,
      attempts: row.attempts,
      phoneNumberId: row.phone_number_id,
      purpose: row.purpose,
      isOptOutConfirmation: row.is_opt_out_confirmation,
    };
  });
}

/** The claim is still ours: nobody re-claimed the row after our lease ran out. */
const stillOurs = (job: ClaimedJob) =>
  and(eq(outbox.id, job.id), eq(outbox.status, "in_flight"), eq(outbox.attempts, job.attempts));

function failureText(failure: GraphFailure): string {
  return [failure.code === undefined ? undefined : `#${failure.code}`, failure.title, failure.detail]
    .filter(Boolean)
    .join(" ");
}

async function succeed(db: Database, job: ClaimedJob, wamid: string | undefined, now: Date) {
  // Losing a race here (a deadlock with a status webhook) must not leave a sent row to be re-sent.
  const outcome = await retryOnConflict(() =>
    db.transaction(async (tx) => {
      if (wamid) await lockWamid(tx, job.inboxId, wamid);
      const [done] = await tx
        .update(outbox)
        .set({ status: "done", completedAt: now, updatedAt: now, lastError: null })
        .where(stillOurs(job))
        .returning({ id: outbox.id });
      if (!done) return undefined;
      if (!wamid || !job.messageId) return { message: undefined };
      return recordSentWamid(tx, { messageId: job.messageId, inboxId: job.inboxId, wamid, at: now }, now);
    }),
  );
  if (!outcome) {
    log.warn("outbox row was re-claimed before its send was recorded", { outboxId: job.id });
    return;
  }
  if (outcome.message) publish.messageStatus(outcome.message);
  if (outcome.conversation) publish.conversationChanged(conversationChangedEvent(outcome.conversation));
}

async function retryLater(
  db: Database,
  job: ClaimedJob,
  failure: GraphFailure,
  now: Date,
  random: () => number,
) {
  const delay = backoffMs(job.attempts, random);
  await db
    .update(outbox)
    .set({
      status: "queued",
      nextAttemptAt: new Date(now.getTime() + delay),
      lastError: failureText(failure),
      updatedAt: now,
    })
    .where(stillOurs(job));
  log.info("WhatsApp call will be retried", {
    outboxId: job.id,
    attempt: job.attempts,
    delayMs: delay,
    error: failure.title,
  });
}

async function giveUp(db: Database, job: ClaimedJob, failure: GraphFailure, now: Date, exhausted: boolean) {
  const reason = exhausted
    ? `WhatsApp did not accept the message after ${job.attempts} attempts. ${describeWhatsAppError(failure.code, failure.title)}`
    : describeWhatsAppError(failure.code, failure.title);
  const outcome = await retryOnConflict(() =>
    db.transaction(async (tx) => {
      const [failed] = await tx
        .update(outbox)
        .set({ status: "failed", completedAt: now, updatedAt: now, lastError: failureText(failure) })
        .where(stillOurs(job))
        .returning({ id: outbox.id });
      if (!failed || !job.messageId) return undefined;
      const [message] = await tx
        .update(messages)
        .set({
          status: "failed",
          errorCode: failure.code ?? null,
          errorTitle: failure.title,
          failureReason: reason,
          statusUpdatedAt: now,
        })
        .where(and(eq(messages.id, job.messageId), eq(messages.status, "queued")))
        .returning();
      const conversation =
        message && failure.code === WINDOW_CLOSED_CODE
          ? await closeWindow(tx, message.conversationId, now)
          : undefined;
      return { message, conversation };
    }),
  );
  log.warn("WhatsApp call failed for good", {
    outboxId: job.id,
    kind: job.kind,
    error: failureText(failure),
  });
  if (outcome?.message) publish.messageStatus(outcome.message);
  if (outcome?.conversation) publish.conversationChanged(conversationChangedEvent(outcome.conversation));
}

/**
 * Consent is judged again just before the call: a message queued before the customer opted out
 * never reaches WhatsApp. Returns the refusal's reason, or null when the send may go.
 */
async function consentRefusal(db: Database, job: ClaimedJob, now: Date): Promise<string | null> {
  if (job.kind !== "send_message" || !job.conversationId) return null;
  const audience = await conversationAudience(db, job.conversationId, now);
  if (!audience) return null;
  const judgement = await judgeOutbound(db, {
    contactId: audience.contactId,
    purpose: job.purpose,
    kind: outboundKindOf(job.request),
    windowOpen: audience.windowOpen,
    isOptOutConfirmation: job.isOptOutConfirmation,
  });
  return judgement.allowed ? null : `Not sent: ${judgement.reason}`;
}

/** The send was refused by the consent check: the row and its message fail with the reason. */
async function refuse(db: Database, job: ClaimedJob, reason: string, now: Date) {
  const message = await db.transaction(async (tx) => {
    const [failed] = await tx
      .update(outbox)
      .set({ status: "failed", completedAt: now, updatedAt: now, lastError: `consent: ${reason}` })
      .where(stillOurs(job))
      .returning({ id: outbox.id });
    if (!failed || !job.messageId) return undefined;
    const [row] = await tx
      .update(messages)
      .set({ status: "failed", failureReason: reason, statusUpdatedAt: now })
      .where(and(eq(messages.id, job.messageId), eq(messages.status, "queued")))
      .returning();
    return row;
  });
  log.info("outbox send refused by consent", { outboxId: job.id });
  if (message) publish.messageStatus(message);
}

type Settings = Required<OutboxSenderOptions>;

async function sendJob(job: ClaimedJob, settings: Settings) {
  const { db, graph } = settings;
  let result: { ok: true; wamid?: string } | GraphFailure;
  const refusal = await consentRefusal(db, job, settings.now());
  if (refusal) return refuse(db, job, refusal, settings.now());
  if (job.kind === "send_message") {
    const sent = await graph.sendMessage(job.phoneNumberId, job.request, { idempotencyKey: job.id });
    result = sent.ok ? { ok: true, wamid: sent.value.wamid } : sent;
  } else {
    const body = markReadBody.safeParse(job.request);
    if (!body.success) {
      result = { ok: false, retryable: false, title: "The queued mark-as-read request is malformed." };
    } else {
      const read = await graph.markRead(job.phoneNumberId, body.data.message_id, {
        typing: body.data.typing_indicator !== undefined,
      });
      result = read.ok ? { ok: true } : read;
    }
  }

  const now = settings.now();
  if (result.ok) return succeed(db, job, result.wamid, now);
  if (result.retryable && job.attempts < settings.maxAttempts) {
    return retryLater(db, job, result, now, settings.random);
  }
  return giveUp(db, job, result, now, result.retryable);
}

export const ABANDONED_REASON =
  "Parley could not confirm whether WhatsApp received this message. Check with the customer before sending it again.";

/**
 * Rows whose claims kept expiring (the sender crashed while handling them, attempt after attempt)
 * are given up rather than sent again and again: the message fails with a reason that says the
 * customer may have received it.
 */
async function abandonStuck(db: Database, now: Date, maxAttempts: number): Promise<void> {
  const stuck = and(
    eq(outbox.status, "in_flight"),
    sql`${outbox.nextAttemptAt} <= ${now.toISOString()}::timestamptz`,
    sql`${outbox.attempts} >= ${maxAttempts}`,
  );
  const failed = await db.transaction(async (tx) => {
    const rows = await tx
      .update(outbox)
      .set({
        status: "failed",
        completedAt: now,
        updatedAt: now,
        lastError: "abandoned: the lease expired after the last attempt",
      })
      .where(stuck)
      .returning({ id: outbox.id, messageId: outbox.messageId });
    const messageIds = rows.flatMap((row) => (row.messageId ? [row.messageId] : []));
    if (messageIds.length === 0) return [];
    return tx
      .update(messages)
      .set({ status: "failed", failureReason: ABANDONED_REASON, statusUpdatedAt: now })
      .where(and(inArray(messages.id, messageIds), eq(messages.status, "queued")))
      .returning();
  });
  for (const message of failed) publish.messageStatus(message);
  if (failed.length > 0) log.warn("outbox rows abandoned after repeated crashes", { count: failed.length });
}

/** One pass: claims up to a batch of due rows and sends them concurrently. Returns how many it claimed. */
export async function drainOutbox(options: OutboxSenderOptions): Promise<number> {
  const settings: Settings = {
    batchSize: 10,
    leaseMs: DEFAULT_LEASE_MS,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    random: Math.random,
    ...options,
  };
  await abandonStuck(settings.db, settings.now(), settings.maxAttempts);
  const jobs = await claim(settings.db, settings.now(), settings.batchSize, settings.leaseMs);
  await Promise.all(
    jobs.map((job) =>
      sendJob(job, settings).catch((error: unknown) => {
        // The row stays in flight; its lease runs out and it is tried again.
        log.error("outbox job failed unexpectedly", { outboxId: job.id, ...describeError(error) });
      }),
    ),
  );
  return jobs.length;
}
