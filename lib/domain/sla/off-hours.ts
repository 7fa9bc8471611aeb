import { eq } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { contacts, conversations, type Message } from "@/lib/db/schema";
import { isOpenAt } from "@/lib/sla/business-time";
import { renderOffHoursReply, shouldSendOffHoursReply } from "@/lib/sla/off-hours";
import { enqueueSystemMessage } from "../messages/system-message";
import { loadInboxSlaSettings } from "./inbox-settings";

/**
 * For the webhook ingest, in its transaction, after storing a customer message at `now`: the
 * off-hours auto-reply to send, or null. At most one per customer per closed period (remembered
 * on the contact, so a new conversation in the same night gets none either); none when the inbox
 * turned it off. The caller sends it as an automatic (system) message, which meets no clock.
 */
export async function planOffHoursReply(
  tx: Executor,
  { inboxId, conversationId, now }: { inboxId: string; conversationId: string; now: Date },
): Promise<string | null> {
  const settings = await loadInboxSlaSettings(tx, inboxId);
  // In business hours there is nothing to decide: no need to lock the contact.
  if (!settings.offHoursReply.enabled || isOpenAt(settings.calendar, now)) return null;

  const [contact] = await tx
    .select({ id: contacts.id, inboxId: conversations.inboxId, lastAutoReplyAt: contacts.lastAutoReplyAt })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.id, conversationId))
    .for("update", { of: contacts });
  if (!contact) throw new Error(`planOffHoursReply: conversation ${conversationId} does not exist`);
  if (contact.inboxId !== inboxId) {
    throw new Error(`planOffHoursReply: conversation ${conversationId} is not in inbox ${inboxId}`);
  }
  if (
    !shouldSendOffHoursReply({ calendar: settings.calendar, now, lastAutoReplyAt: contact.lastAutoReplyAt })
  ) {
    return null;
  }

  await tx.update(contacts).set({ lastAutoReplyAt: now }).where(eq(contacts.id, contact.id));
  return renderOffHoursReply({ calendar: settings.calendar, now, template: settings.offHoursReply.template });
}

/**
 * For the webhook ingest, in its transaction, after a customer message was stored at `now`: queues
 * the off-hours auto-reply when `planOffHoursReply` says one is due, through the one path for
 * automatic sends. Returns the queued message (to publish after commit), or null.
 */
export async function maybeQueueOffHoursReply(
  tx: Executor,
  { inboxId, conversationId, now }: { inboxId: string; conversationId: string; now: Date },
): Promise<Message | null> {
  const text = await planOffHoursReply(tx, { inboxId, conversationId, now });
  if (!text) return null;
  return enqueueSystemMessage(tx, { conversationId, body: text, purpose: "off_hours_reply", now });
}
