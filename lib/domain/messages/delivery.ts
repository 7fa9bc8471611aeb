import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import {
  conversations,
  messages,
  pendingMessageStatuses,
  type Conversation,
  type DeliveryStatus,
  type Message,
} from "@/lib/db/schema";
import { describeWhatsAppError, WINDOW_CLOSED_CODE } from "@/lib/whatsapp/errors";

/**
 * Delivery statuses move one way: queued < sent < delivered < read. WhatsApp reports them out of
 * order and more than once, so each is applied with a conditional UPDATE that only moves a message
 * forward. `failed` is final: it replaces queued/sent/delivered (never read) and nothing replaces it.
 */

const statusRank: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/** The rank of the stored status; received (inbound) and failed never move. */
const storedRank = sql`(case ${messages.status} when 'queued' then 0 when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 else 99 end)`;

export interface DeliveryUpdate {
  inboxId: string;
  wamid: string;
  status: DeliveryStatus;
  /** When WhatsApp says it happened. */
  at: Date;
  errorCode?: number | null;
  errorTitle?: string | null;
}

export type DeliveryOutcome =
  | { outcome: "changed"; message: Message; conversation?: Conversation }
  | { outcome: "unchanged" }
  | { outcome: "unknown" };

/**
 * Serializes everything that touches one wamid: a status webhook and the sender recording the
 * wamid Meta just returned. Without it a status could arrive between the two and be lost.
 */
export async function lockWamid(tx: Executor, inboxId: string, wamid: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${wamidLockKey(inboxId, wamid)}, 0))`);
}

/** The advisory-lock key of one sent message's wamid (the webhook ingest takes it in batches). */
export function wamidLockKey(inboxId: string, wamid: string): string {
  return `${inboxId}:${wamid}`;
}

/** Meta refused a send because the customer-service window is closed: believe it over our clock. */
export async function closeWindow(
  tx: Executor,
  conversationId: string,
  now: Date,
): Promise<Conversation | undefined> {
  const [row] = await tx
    .update(conversations)
    .set({
      windowExpiresAt: sql`case when ${conversations.windowExpiresAt} is null or ${conversations.windowExpiresAt} > ${now.toISOString()}::timestamptz then ${now.toISOString()}::timestamptz else ${conversations.windowExpiresAt} end`,
      updatedAt: now,
    })
    .where(eq(conversations.id, conversationId))
    .returning();
  return row;
}

/** Applies one status to the outbound message with this wamid, if it moves it forward. */
export async function applyDeliveryStatus(
  tx: Executor,
  update: DeliveryUpdate,
  now: Date,
): Promise<DeliveryOutcome> {
  const target = and(
    eq(messages.inboxId, update.inboxId),
    eq(messages.wamid, update.wamid),
    eq(messages.direction, "outbound"),
  );
  const [row] =
    update.status === "failed"
      ? await tx
          .update(messages)
          .set({
            status: "failed",
            errorCode: update.errorCode ?? null,
            errorTitle: update.errorTitle ?? null,
            failureReason: describeWhatsAppError(update.errorCode ?? undefined, update.errorTitle),
            statusUpdatedAt: update.at,
          })
          .where(and(target, inArray(messages.status, ["queued", "sent", "delivered"])))
          .returning()
      : await tx
          .update(messages)
          .set({ status: update.status, statusUpdatedAt: update.at })
          .where(and(target, sql`${storedRank} < ${statusRank[update.status]}`))
          .returning();

  if (row) {
    const conversation =
      row.status === "failed" && row.errorCode === WINDOW_CLOSED_CODE
        ? await closeWindow(tx, row.conversationId, now)
        : undefined;
    return { outcome: "changed", message: row, conversation };
  }
  const [existing] = await tx.select({ id: messages.id }).from(messages).where(target).limit(1);
  return existing ? { outcome: "unchanged" } : { outcome: "unknown" };
}

/** Keeps a status whose message is not known yet, for recordSentWamid to apply. */
export async function keepPendingStatus(tx: Executor, update: DeliveryUpdate): Promise<void> {
  await tx
    .insert(pendingMessageStatuses)
    .values({
      inboxId: update.inboxId,
      wamid: update.wamid,
      status: update.status,
      occurredAt: update.at,
      errorCode: update.errorCode ?? null,
      errorTitle: update.errorTitle ?? null,
    })
    .onConflictDoNothing();
}

/**
 * Stores the wamid Meta returned for a queued message (queued → sent) and applies any statuses
 * that arrived for it first. The caller holds the wamid lock (lockWamid).
 */
export async function recordSentWamid(
  tx: Executor,
  input: { messageId: string; inboxId: string; wamid: string; at: Date },
  now: Date,
): Promise<{ message: Message | undefined; conversation?: Conversation }> {
  const [stored] = await tx
    .update(messages)
    .set({
      wamid: input.wamid,
      status: sql`case when ${messages.status} = 'queued' then 'sent' else ${messages.status} end`,
      statusUpdatedAt: sql`case when ${messages.status} = 'queued' then ${input.at.toISOString()}::timestamptz else ${messages.statusUpdatedAt} end`,
    })
    .where(eq(messages.id, input.messageId))
    .returning();
  if (!stored) return { message: undefined };

  const early = await tx
    .delete(pendingMessageStatuses)
    .where(
      and(eq(pendingMessageStatuses.inboxId, input.inboxId), eq(pendingMessageStatuses.wamid, input.wamid)),
    )
    .returning();
  let message = stored;
  let conversation: Conversation | undefined;
  for (const status of early.sort((a, b) => statusRank[a.status] - statusRank[b.status])) {
    const applied = await applyDeliveryStatus(
      tx,
      {
        inboxId: input.inboxId,
        wamid: input.wamid,
        status: status.status,
        at: status.occurredAt,
        errorCode: status.errorCode,
        errorTitle: status.errorTitle,
      },
      now,
    );
    if (applied.outcome === "changed") {
      message = applied.message;
      conversation = applied.conversation ?? conversation;
    }
  }
  return { message, conversation };
}

/** Pending statuses older than this are for sends Parley never made (another tool on the number). */
export async function prunePendingStatuses(tx: Executor, olderThan: Date): Promise<number> {
  const removed = await tx
    .delete(pendingMessageStatuses)
    .where(sql`${pendingMessageStatuses.createdAt} < ${olderThan.toISOString()}::timestamptz`)
    .returning({ wamid: pendingMessageStatuses.wamid });
  return removed.length;
}
