"use client";

import { useQuery } from "@tanstack/react-query";
import { composerConsent, consentFromJson, customerWroteSince, type ComposerConsent } from "./consent-status";
import { fetchContactConsents, inboxKeys } from "./queries";
import { useThread } from "./thread";
import type { Conversation } from "./types";

/** The contact's ledger (cached, patched by `consent.changed`) judged for this conversation's composer. */
export function useConversationConsent(conversation: Conversation, now: Date): ComposerConsent {
  const consents = useQuery({
    queryKey: inboxKeys.consents(conversation.contact.id),
    queryFn: () => fetchContactConsents(conversation.contact.id),
  });
  const { messages } = useThread(conversation.id);
  const consent = consents.data?.consent;
  const optedOutAt = consent?.service.state === "opted_out" ? consentFromJson(consent).service.since : null;
  const windowOpen = conversation.windowExpiresAt !== null && new Date(conversation.windowExpiresAt) > now;
  return composerConsent(consent, {
    windowOpen,
    customerWroteAgain: customerWroteSince(messages, optedOutAt, consents.data?.inboxKeywords),
  });
}
