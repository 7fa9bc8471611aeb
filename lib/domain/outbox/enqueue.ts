import type { Executor } from "@/lib/db";
import { outbox, type OutboxKind, type OutboxRow } from "@/lib/db/schema";

/** Queues a Graph API call through the caller's transaction, so it exists exactly when the change does. */
export async function enqueueOutbox(
  tx: Executor,
  job: {
    kind: OutboxKind;
    inboxId: string;
    conversationId: string | null;
    messageId?: string | null;
    request: Record<string, unknown>;
    now: Date;
  },
): Promise<OutboxRow> {
  const [row] = await tx
    .insert(outbox)
    .values({
      kind: job.kind,
      inboxId: job.inboxId,
      conversationId: job.conversationId,
      messageId: job.messageId ?? null,
      request: job.request,
      nextAttemptAt: job.now,
      createdAt: job.now,
      updatedAt: job.now,
    })
    .returning();
  if (!row) throw new Error("outbox insert returned no row");
  return row;
}
