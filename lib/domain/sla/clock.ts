import { randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { afterInsertOf } from "@/lib/db/pipeline";
import { conversations, slaEvents, type SlaEvent } from "@/lib/db/schema";
import type { SlaKind } from "@/lib/sla/policy";
import { deadlineFor, responseMinutes } from "./deadlines";
import { loadInboxSlaSettings } from "./inbox-settings";

/**
 * The response clocks' lifecycle, as hooks that run inside the caller's transaction (webhook
 * ingest, the agent send path, status changes), so a clock changes exactly when the message or
 * status it depends on is committed. They never publish: callers pass the returned change to
 * `announceSlaChanges` after commit.
 *
 * - A customer message starts a clock unless one is running: first response when the
 *   conversation is new or was resolved since an agent last replied, next response otherwise.
 * - An agent's reply to the customer meets the running clock. Private notes, automatic messages
 *   (the off-hours reply) and template sends by the system are not replies: callers do not call
 *   `onAgentReply` for them.
 * - Resolving stops the running clock without meeting it: nobody owes an answer to "thanks, bye".
 *   A clock already past due when resolved is recorded as breached (it stays in the review queue);
 *   one stopped in time counts neither as met nor as breached in reports. Reopening by an agent
 *   starts nothing; the customer's next message starts a first-response clock.
 */

/** The running clock as conversations and browsers see it. */
export interface SlaClockState {
  slaEventId: string;
  kind: SlaKind;
  /** When the clock began counting (the next opening, for a message that arrived while closed). */
  startedAt: Date;
  dueAt: Date;
  atRiskAt: Date;
  breachedAt: Date | null;
}

/** What a hook changed: the conversation's running clock afterwards (null: none runs). */
export interface SlaChange {
  conversationId: string;
  inboxId: string;
  what: "started" | "met" | "stopped" | "recomputed";
  clock: SlaClockState | null;
  /** The clock row as written (met, stopped or started). */
  event: SlaEvent;
}

export function clockStateOf(event: SlaEvent): SlaClockState {
  return {
    slaEventId: event.id,
    kind: event.kind,
    startedAt: event.clockStartedAt,
    dueAt: event.dueAt,
    atRiskAt: event.atRiskAt,
    breachedAt: event.breachedAt,
  };
}

const running = and(isNull(slaEvents.metAt), isNull(slaEvents.stoppedAt));

const noClockOnConversation = {
  slaKind: null,
  slaStartedAt: null,
  slaDueAt: null,
  slaAtRiskAt: null,
  slaBreachedAt: null,
} as const;

/** Late answers and resolutions past due record the breach themselves if the ticker has not yet. */
function breachedBy(at: Date) {
  return sql`coalesce(${slaEvents.breachedAt}, case when ${slaEvents.dueAt} < ${at.toISOString()}::timestamptz then ${at.toISOString()}::timestamptz end)`;
}

/**
 * A customer message was stored in `conversationId` (call it for every inbound customer message,
 * including ones that open or reopen the conversation). Starts a clock unless one is running.
 */
export async function onCustomerMessage(
  tx: Executor,
  {
    conversationId,
    inboxId,
    arrivedAt,
    locked,
  }: {
    conversationId: string;
    inboxId: string;
    arrivedAt: Date;
    /**
     * The conversation as the caller's transaction just updated (so row-locked) it, when it has
     * it: the clock then needs no read of its own (the webhook queue's path, where every round
     * trip delays the message reaching agents).
     */
    locked?: { inboxId: string; slaRepliedAt: Date | null };
  },
): Promise<SlaChange | null> {
  const [conversation] = locked
    ? [locked]
    : await tx
        .select({ inboxId: conversations.inboxId, slaRepliedAt: conversations.slaRepliedAt })
        .from(conversations)
        .where(eq(conversations.id, conversationId))
        .for("update");
  if (!conversation) throw new Error(`onCustomerMessage: conversation ${conversationId} does not exist`);
  if (conversation.inboxId !== inboxId) {
    throw new Error(`onCustomerMessage: conversation ${conversationId} is not in inbox ${inboxId}`);
  }

  const settings = await loadInboxSlaSettings(tx, inboxId, { lock: "key share" });
  const kind: SlaKind = conversation.slaRepliedAt ? "next_response" : "first_response";
  const deadline = deadlineFor({ arrivedAt, kind, calendar: settings.calendar, policy: settings.policy });

  // Both statements go out together, in this order (one round trip): the clock row is inserted
  // unless one runs, and the conversation copies it only if this very row was inserted (its id is
  // chosen here).
  const id = randomUUID();
  const [[event]] = await Promise.all([
    tx
      .insert(slaEvents)
      .values({ id, conversationId, inboxId, kind, startedAt: arrivedAt, ...deadline })
      .onConflictDoNothing({ target: slaEvents.conversationId, where: running })
      .returning()
      .execute(),
    tx
      .update(conversations)
      .set({
        slaKind: kind,
        slaStartedAt: deadline.clockStartedAt,
        slaDueAt: deadline.dueAt,
        slaAtRiskAt: deadline.atRiskAt,
        slaBreachedAt: null,
      })
      .where(and(eq(conversations.id, conversationId), afterInsertOf(tx, slaEvents, slaEvents.id, id)))
      .execute(),
  ]);
  if (!event) return null;
  return { conversationId, inboxId, what: "started", clock: clockStateOf(event), event };
}

/**
 * An agent's reply to the customer was stored (queued for sending) at `at`. Meets the running
 * clock if the customer's message came before the reply, and remembers that the business replied.
 * Only agent replies: never notes, automatic messages or template sends by the system.
 */
export async function onAgentReply(
  tx: Executor,
  { conversationId, at, authorId }: { conversationId: string; at: Date; authorId: string | null },
): Promise<SlaChange | null> {
  const [conversation] = await tx
    .update(conversations)
    .set({ slaRepliedAt: at })
    .where(eq(conversations.id, conversationId))
    .returning({ inboxId: conversations.inboxId });
  if (!conversation) throw new Error(`onAgentReply: conversation ${conversationId} does not exist`);

  const [open] = await tx
    .select()
    .from(slaEvents)
    .where(and(eq(slaEvents.conversationId, conversationId), running))
    .for("update");
  // A reply written before the customer's message arrived does not answer it.
  if (!open || open.startedAt.getTime() > at.getTime()) return null;

  const settings = await loadInboxSlaSettings(tx, conversation.inboxId);
  const [met] = await tx
    .update(slaEvents)
    .set({
      metAt: at,
      metBy: authorId,
      responseMinutes: responseMinutes({
        arrivedAt: open.startedAt,
        repliedAt: at,
        calendar: settings.calendar,
        policy: settings.policy,
        clock: open.clock,
      }),
      breachedAt: breachedBy(at),
      updatedAt: at,
    })
    .where(and(eq(slaEvents.id, open.id), running))
    .returning();
  if (!met) return null;

  await tx.update(conversations).set(noClockOnConversation).where(eq(conversations.id, conversationId));
  return { conversationId, inboxId: conversation.inboxId, what: "met", clock: null, event: met };
}

/**
 * The conversation was resolved at `at`: stops the running clock without meeting it, and forgets
 * the last reply so the customer's next message starts a first-response clock.
 */
export async function onConversationResolved(
  tx: Executor,
  { conversationId, at }: { conversationId: string; at: Date },
): Promise<SlaChange | null> {
  const [conversation] = await tx
    .update(conversations)
    .set({ ...noClockOnConversation, slaRepliedAt: null })
    .where(eq(conversations.id, conversationId))
    .returning({ inboxId: conversations.inboxId });
  if (!conversation) throw new Error(`onConversationResolved: conversation ${conversationId} does not exist`);

  const [stopped] = await tx
    .update(slaEvents)
    .set({ stoppedAt: at, breachedAt: breachedBy(at), updatedAt: at })
    .where(and(eq(slaEvents.conversationId, conversationId), running))
    .returning();
  if (!stopped) return null;
  return { conversationId, inboxId: conversation.inboxId, what: "stopped", clock: null, event: stopped };
}
