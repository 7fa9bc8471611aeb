import { and, eq, gte, inArray, isNotNull, notInArray } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { consentEvents, contacts, conversations, messages, type OutboxRow } from "@/lib/db/schema";
import {
  canSend,
  type ConsentPurpose,
  type ConsentSnapshot,
  type OutboundKind,
  type SendBlockCode,
} from "@/lib/policy/consent";
import { PolicyBlockedError } from "../errors";
import { enqueueOutbox, type OutboxJob } from "../outbox/enqueue";
import { loadConsentSnapshot } from "./ledger";

export type OutboundJudgement =
  | { allowed: true; consent: ConsentSnapshot }
  | { allowed: false; code: SendBlockCode; reason: string; consent: ConsentSnapshot };

export interface OutboundRequest {
  contactId: string;
  purpose: ConsentPurpose;
  kind: OutboundKind;
  /** Less than 24 hours since the customer's last message in this conversation. */
  windowOpen: boolean;
  isOptOutConfirmation?: boolean;
}

/**
 * The one consent check every outbound send passes (composer, templates, canned and automatic
 * replies, the API, and the sender again just before calling WhatsApp): the contact's ledger,
 * read now, judged by lib/policy/consent.ts.
 */
export async function judgeOutbound(tx: Executor, request: OutboundRequest): Promise<OutboundJudgement> {
  const consent = await loadConsentSnapshot(tx, request.contactId);
  const optedOutAt = consent.service.state === "opted_out" ? consent.service.since : null;
  const customerInitiated = optedOutAt ? await customerWroteSince(tx, request.contactId, optedOutAt) : false;
  const decision = canSend({
    consent,
    purpose: request.purpose,
    kind: request.kind,
    windowOpen: request.windowOpen,
    customerInitiated,
    isOptOutConfirmation: request.isOptOutConfirmation ?? false,
  });
  return decision.allowed ? { allowed: true, consent } : { ...decision, consent };
}

/** judgeOutbound for verbs: a refusal is a 422 with the reason an agent can act on. */
export async function requireOutboundAllowed(
  tx: Executor,
  request: OutboundRequest,
): Promise<ConsentSnapshot> {
  const judgement = await judgeOutbound(tx, request);
  if (!judgement.allowed) throw new PolicyBlockedError(judgement.reason, { code: judgement.code });
  return judgement.consent;
}

/**
 * The customer sent something other than a STOP/START keyword after `since`: a question an agent
 * may answer within its 24-hour window although they opted out.
 */
async function customerWroteSince(tx: Executor, contactId: string, since: Date): Promise<boolean> {
  const keywordMessages = tx
    .select({ id: consentEvents.messageId })
    .from(consentEvents)
    .where(and(eq(consentEvents.contactId, contactId), isNotNull(consentEvents.messageId)));
  const [row] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        inArray(
          messages.conversationId,
          tx
            .select({ id: conversations.id })
            .from(conversations)
            .where(eq(conversations.contactId, contactId)),
        ),
        eq(messages.direction, "inbound"),
        eq(messages.authorKind, "contact"),
        // WhatsApp timestamps are whole seconds: a question in the STOP's second counts.
        gte(messages.createdAt, since),
        notInArray(messages.id, keywordMessages),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export function outboundKindOf(request: Record<string, unknown>): OutboundKind {
  return request.type === "template" ? "template" : "free_form";
}

/** The conversation's contact and whether its 24-hour window is open at `now`. */
export async function conversationAudience(
  tx: Executor,
  conversationId: string,
  now: Date,
): Promise<{ contactId: string; windowOpen: boolean } | undefined> {
  const [row] = await tx
    .select({ contactId: contacts.id, windowExpiresAt: conversations.windowExpiresAt })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.id, conversationId));
  if (!row) return undefined;
  return { contactId: row.contactId, windowOpen: row.windowExpiresAt !== null && row.windowExpiresAt > now };
}

/**
 * For Parley's own messages (off-hours replies, confirmations): queues the send only when consent
 * allows it, else returns null and queues nothing. Non-message calls (mark_read) always pass.
 */
export async function enqueueOutboxIfAllowed(tx: Executor, job: OutboxJob): Promise<OutboxRow | null> {
  if (job.kind === "send_message") {
    if (!job.conversationId) return null;
    const audience = await conversationAudience(tx, job.conversationId, job.now);
    if (!audience) return null;
    const judgement = await judgeOutbound(tx, {
      contactId: audience.contactId,
      purpose: job.purpose ?? "service",
      kind: outboundKindOf(job.request),
      windowOpen: audience.windowOpen,
      isOptOutConfirmation: job.isOptOutConfirmation ?? false,
    });
    if (!judgement.allowed) return null;
  }
  return enqueueOutbox(tx, job);
}
