import { and, eq, or, type SQL } from "drizzle-orm";
import type { Transaction } from "@/lib/db";
import {
  contacts,
  conversations,
  inboxes,
  messages,
  type ConsentEventRow,
  type Conversation,
  type Message,
} from "@/lib/db/schema";
import { keywordConsentPurposes, type ConsentAction, type ConsentSnapshot } from "@/lib/policy/consent";
import { matchConsentKeyword } from "@/lib/policy/opt-out-keywords";
import { textMessageRequest } from "@/lib/whatsapp/graph-client";
import { previewOf, type PlannedPreference } from "@/lib/whatsapp/webhook-plan";
import { enqueueOutbox } from "../outbox/enqueue";
import { conversationAudience, judgeOutbound } from "./gate";
import { appendConsentEvents, loadConsentSnapshot } from "./ledger";
import { loadInboxConsentSettings } from "./settings";

export interface ConsentChange {
  contactId: string;
  inboxId: string;
  conversationId: string | null;
  events: ConsentEventRow[];
  consent: ConsentSnapshot;
}

export interface KeywordOutcome {
  change: ConsentChange;
  /** The confirmation queued in the same transaction, if consent allowed it. */
  confirmation: Message | null;
  conversation: Conversation | null;
}

/**
 * For the webhook ingest, in its transaction: a customer message that is, as a whole, STOP or
 * START (with the inbox's own keywords) is recorded in the ledger at once and confirmed with one
 * message, the only one allowed after an opt-out. Returns null for ordinary messages.
 */
export async function applyConsentKeyword(
  tx: Transaction,
  message: Message,
  contact: { id: string; waId: string | null; waUserId: string | null },
  now: Date,
): Promise<KeywordOutcome | null> {
  if (message.type !== "text" || !message.body) return null;
  const settings = await loadInboxConsentSettings(tx, message.inboxId);
  const match = matchConsentKeyword(message.body, {
    extraOptOut: settings.extraOptOutKeywords,
    extraOptIn: settings.extraOptInKeywords,
  });
  if (!match) return null;

  const events = await appendConsentEvents(
    tx,
    keywordConsentPurposes[match].map((purpose) => ({
      contactId: contact.id,
      purpose,
      action: match,
      source: "inbound_keyword" as const,
      evidence: message.body,
      messageId: message.id,
      occurredAt: message.createdAt,
      createdAt: now,
    })),
  );
  const change = {
    contactId: contact.id,
    inboxId: message.inboxId,
    conversationId: message.conversationId,
    events,
    consent: await loadConsentSnapshot(tx, contact.id),
  };
  if (!settings.sendConfirmations) return { change, confirmation: null, conversation: null };

  const text = match === "opt_out" ? settings.optOutConfirmation : settings.optInConfirmation;
  const sent = await queueConfirmation(tx, message, contact, text, match, now);
  return { change, ...sent };
}

async function queueConfirmation(
  tx: Transaction,
  inbound: Message,
  contact: { waId: string | null; waUserId: string | null },
  body: string,
  action: ConsentAction,
  now: Date,
): Promise<{ confirmation: Message | null; conversation: Conversation | null }> {
  const request = textMessageRequest({
    to: { waId: contact.waId, userId: contact.waUserId },
    body,
    replyToWamid: null,
  });
  const audience = await conversationAudience(tx, inbound.conversationId, now);
  if (!audience) return { confirmation: null, conversation: null };
  const judgement = await judgeOutbound(tx, {
    contactId: audience.contactId,
    purpose: "service",
    kind: "free_form",
    windowOpen: audience.windowOpen,
    isOptOutConfirmation: action === "opt_out",
  });
  if (!judgement.allowed) return { confirmation: null, conversation: null };
  const [row] = await tx
    .insert(messages)
    .values({
      conversationId: inbound.conversationId,
      inboxId: inbound.inboxId,
      direction: "outbound",
      authorKind: "system",
      type: "text",
      body,
      payload: { consentConfirmation: action },
      status: "queued",
      createdAt: now,
    })
    .returning();
  if (!row) throw new Error("confirmation insert returned no row");
  await enqueueOutbox(tx, {
    kind: "send_message",
    inboxId: row.inboxId,
    conversationId: row.conversationId,
    messageId: row.id,
    request,
    purpose: "service",
    isOptOutConfirmation: action === "opt_out",
    now,
  });
  const [conversation] = await tx
    .update(conversations)
    .set({ lastOutboundAt: now, lastMessageAt: now, lastMessagePreview: previewOf(body), updatedAt: now })
    .where(eq(conversations.id, row.conversationId))
    .returning();
  return { confirmation: row, conversation: conversation ?? null };
}

/**
 * WhatsApp's own "stop/resume marketing messages" setting (field user_preferences): recorded as
 * a marketing opt-out or opt-in of the contact, in every inbox of that number that knows them.
 */
export async function applyPreferenceUpdate(
  tx: Transaction,
  update: PlannedPreference,
  now: Date,
  notes: string[],
): Promise<ConsentChange[]> {
  const who: SQL[] = [];
  if (update.waId) who.push(eq(contacts.waId, update.waId));
  if (update.userId) who.push(eq(contacts.waUserId, update.userId));
  const found = await tx
    .select({ id: contacts.id, inboxId: contacts.inboxId })
    .from(contacts)
    .innerJoin(inboxes, eq(inboxes.id, contacts.inboxId))
    .where(
      and(or(...who), update.phoneNumberId ? eq(inboxes.phoneNumberId, update.phoneNumberId) : undefined),
    );
  if (found.length === 0) {
    notes.push(
      `user_preferences: no contact ${update.waId ?? update.userId ?? ""} is known; nothing recorded.`,
    );
    return [];
  }
  const changes: ConsentChange[] = [];
  for (const contact of found) {
    const events = await appendConsentEvents(tx, [
      {
        contactId: contact.id,
        purpose: "marketing",
        action: update.action,
        source: "user_preferences_webhook",
        evidence: update.detail,
        occurredAt: update.at && update.at < now ? update.at : now,
        createdAt: now,
      },
    ]);
    const consent = await loadConsentSnapshot(tx, contact.id);
    changes.push({ contactId: contact.id, inboxId: contact.inboxId, conversationId: null, events, consent });
  }
  return changes;
}
