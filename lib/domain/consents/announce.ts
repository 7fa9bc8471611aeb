import type { ConsentSnapshot } from "@/lib/policy/consent";
import type { ConsentChangedEvent } from "@/lib/realtime/events";
import { publish } from "@/lib/realtime/publish";

export function consentDto(consent: ConsentSnapshot): ConsentChangedEvent["consent"] {
  const one = (purpose: keyof ConsentSnapshot) => ({
    state: consent[purpose].state,
    since: consent[purpose].since?.toISOString() ?? null,
    source: consent[purpose].source,
  });
  return { service: one("service"), marketing: one("marketing") };
}

/** After commit: tell the contact's inbox (and open conversation) that consent changed. */
export function announceConsentChanges(
  changes: readonly {
    contactId: string;
    inboxId: string;
    conversationId: string | null;
    consent: ConsentSnapshot;
  }[],
): void {
  for (const change of changes) {
    publish.consentChanged({
      contactId: change.contactId,
      inboxId: change.inboxId,
      conversationId: change.conversationId,
      consent: consentDto(change.consent),
    });
  }
}
