import type { Executor } from "@/lib/db";
import { outbox, type OutboxKind, type OutboxRow } from "@/lib/db/schema";
import type { ConsentPurpose } from "@/lib/policy/consent";

export interface OutboxJob {
  kind: OutboxKind;
  inboxId: string;
  conversationId: string | null;
  messageId?: string | null;
  request: Record<string, unknown>;
  /** What a message is for (service unless a marketing template); the sender re-checks consent for it. */
  purpose?: ConsentPurpose;
  /** The one confirmation of an opt-out. */
  isOptOutConfirmation?: boolean;
  now: Date;
}

/**
 * Queues a Graph API call through the caller's transaction, so it exists exactly when the change does.
 * Messages must have passed the consent gate (lib/domain/consents/gate.ts) first.
 */
export async function enqueueOutbox(tx: Executor, job: OutboxJob): Promise<OutboxRow> {
  const [row] = await tx
    .insert(outbox)
    .values({
      kind: job.kind,
      inboxId: job.inboxId,
      conversationId: job.conversationId,
      messageId: job.messageId ?? null,
      request: job.request,
      purpose: job.purpose ?? "service",
      isOptOutConfirmation: job.isOptOutConfirmation ?? false,
      nextAttemptAt: job.now,
      createdAt: job.now,
      updatedAt: job.now,
    })
    .returning();
  if (!row) throw new Error("outbox insert returned no row");
  return row;
}
