import { and, eq, isNull } from "drizzle-orm";
import type { Transaction } from "@/lib/db";
import { messages, type Message } from "@/lib/db/schema";
import { ConflictError } from "../errors";

/**
 * Points a failed send at the message that replaces it. Conditional on the row still being a failed,
 * unretried send of the same conversation, so two clicks (or two agents) retry it once.
 */
export async function markRetried(
  tx: Transaction,
  { failedMessageId, by }: { failedMessageId: string; by: Message },
): Promise<Message> {
  const [retried] = await tx
    .update(messages)
    .set({ retriedByMessageId: by.id })
    .where(
      and(
        eq(messages.id, failedMessageId),
        eq(messages.conversationId, by.conversationId),
        eq(messages.direction, "outbound"),
        eq(messages.status, "failed"),
        isNull(messages.retriedByMessageId),
      ),
    )
    .returning();
  if (!retried) throw new ConflictError("That message has already been retried.");
  return retried;
}
