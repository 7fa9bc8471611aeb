import { eq } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { contacts, conversations, messages, type Message } from "@/lib/db/schema";
import { textMessageRequest } from "@/lib/whatsapp/graph-client";
import { enqueueOutbox } from "../outbox/enqueue";
import { conversationAudience, judgeOutbound } from "../consents/gate";

/** Why Parley itself writes to a customer; kept on the message so threads and audits can say so. */
export const systemMessagePurposes = ["off_hours_reply"] as const;
export type SystemMessagePurpose = (typeof systemMessagePurposes)[number];

/**
 * The one way Parley itself (not an agent) queues a text to a customer, inside the caller's
 * transaction: the message (queued, author "system") and its outbox row. Every automatic send
 * goes through here, so a policy gate (consent, opt-out) needs adding in one place only.
 * Returns null when the customer cannot be written to (erased, or no WhatsApp id). Meets no SLA
 * clock and leaves the conversation's waiting and preview fields alone: nobody answered yet.
 * The caller publishes the message and nudges the outbox after commit.
 */
export async function enqueueSystemMessage(
  tx: Executor,
  {
    conversationId,
    body,
    purpose,
    now,
  }: { conversationId: string; body: string; purpose: SystemMessagePurpose; now: Date },
): Promise<Message | null> {
  const [target] = await tx
    .select({
      inboxId: conversations.inboxId,
      waId: contacts.waId,
      waUserId: contacts.waUserId,
      anonymizedAt: contacts.anonymizedAt,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.id, conversationId));
  if (!target) throw new Error(`enqueueSystemMessage: conversation ${conversationId} does not exist`);
  if (target.anonymizedAt || (!target.waId && !target.waUserId)) return null;
  // The consent gate: nothing automatic reaches a customer who opted out.
  const audience = await conversationAudience(tx, conversationId, now);
  if (!audience) return null;
  const judgement = await judgeOutbound(tx, {
    contactId: audience.contactId,
    purpose: "service",
    kind: "free_form",
    windowOpen: audience.windowOpen,
  });
  if (!judgement.allowed) return null;

  const [row] = await tx
    .insert(messages)
    .values({
      conversationId,
      inboxId: target.inboxId,
      direction: "outbound",
      authorKind: "system",
      authorId: null,
      type: "text",
      body,
      payload: { system: purpose },
      status: "queued",
      createdAt: now,
    })
    .returning();
  if (!row) throw new Error("system message insert returned no row");
  await enqueueOutbox(tx, {
    kind: "send_message",
    inboxId: row.inboxId,
    conversationId,
    messageId: row.id,
    request: textMessageRequest({ to: { waId: target.waId, userId: target.waUserId }, body }),
    now,
  });
  return row;
}
