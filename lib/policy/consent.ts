/**
 * Consent as pure functions: the state a contact's append-only ledger gives, and whether a message
 * may be sent. STOP (a service opt-out) stops everything; marketing needs its own opt-in.
 * The rules of canSend are listed above it; decisions in docs/architecture.md, "Messaging policy".
 */

export const consentPurposes = ["service", "marketing"] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

export const consentActions = ["opt_in", "opt_out"] as const;
export type ConsentAction = (typeof consentActions)[number];

export const consentSources = [
  "inbound_keyword",
  "web_form",
  "event_registration",
  "agent",
  "import",
  "user_preferences_webhook",
] as const;
export type ConsentSource = (typeof consentSources)[number];

export const consentStates = ["opted_in", "opted_out", "unknown"] as const;
export type ConsentState = (typeof consentStates)[number];

/** Free-form messages need the 24-hour window; approved templates do not. */
export const outboundKinds = ["free_form", "template"] as const;
export type OutboundKind = (typeof outboundKinds)[number];

/** What a STOP or START keyword records: STOP ends everything, START restores service only. */
export const keywordConsentPurposes = {
  opt_out: ["service", "marketing"],
  opt_in: ["service"],
} as const satisfies Record<ConsentAction, readonly ConsentPurpose[]>;

/** The fields of a consent event that decide the state; ledger rows carry more (evidence, actor). */
export type ConsentEventLike = {
  purpose: ConsentPurpose;
  action: ConsentAction;
  source: ConsentSource;
  at: Date;
};

export type PurposeConsent = {
  state: ConsentState;
  /** When the latest event was recorded; null while unknown. */
  since: Date | null;
  source: ConsentSource | null;
};

export type ConsentSnapshot = Record<ConsentPurpose, PurposeConsent>;

const unknownConsent: PurposeConsent = { state: "unknown", since: null, source: null };

/**
 * The current state per purpose: the latest event by `at`; events recorded at the same instant
 * count in the order given, so pass them in insertion order. One exception: a customer's STOP and
 * START keywords in the same instant (WhatsApp dates messages to the second, and deliveries are
 * processed in parallel) cannot be ordered, so the opt-out stands: staying opted out by mistake
 * costs a second START, being opted in by mistake breaks the customer's STOP.
 */
export function currentConsent(events: readonly ConsentEventLike[]): ConsentSnapshot {
  const snapshot: ConsentSnapshot = { service: unknownConsent, marketing: unknownConsent };
  for (const event of events) {
    const current = snapshot[event.purpose];
    if (current.since !== null && event.at.getTime() < current.since.getTime()) continue;
    const keywordsAtOnce =
      current.since?.getTime() === event.at.getTime() &&
      current.source === "inbound_keyword" &&
      event.source === "inbound_keyword";
    if (keywordsAtOnce && current.state === "opted_out" && event.action === "opt_in") continue;
    snapshot[event.purpose] = {
      state: event.action === "opt_in" ? "opted_in" : "opted_out",
      since: event.at,
      source: event.source,
    };
  }
  return snapshot;
}

export const sendBlockCodes = [
  "no_opt_out_to_confirm",
  "opted_out",
  "opted_out_window_closed",
  "marketing_opted_out",
  "marketing_consent_missing",
  "window_closed",
  "consent_missing",
] as const;
export type SendBlockCode = (typeof sendBlockCodes)[number];

export type SendDecision = { allowed: true } | { allowed: false; code: SendBlockCode; reason: string };

export type SendRequest = {
  consent: ConsentSnapshot;
  purpose: ConsentPurpose;
  kind: OutboundKind;
  /** Less than 24 hours since the customer's last message. */
  windowOpen: boolean;
  /**
   * The customer has written to us, with something other than a STOP/START keyword, since their
   * latest opt-out. Only consulted after an opt-out: it is what lets an agent answer a question.
   */
  customerInitiated: boolean;
  /** This is the confirmation sent once in reply to an opt-out. */
  isOptOutConfirmation: boolean;
};

const allowed: SendDecision = { allowed: true };

function blocked(code: SendBlockCode, reason: string): SendDecision {
  return { allowed: false, code, reason };
}

const howTheyOptedOut: Record<ConsentSource, string> = {
  inbound_keyword: "by replying with an opt-out keyword",
  web_form: "on a web form",
  event_registration: "when registering for an event",
  agent: "by asking an agent",
  import: "according to an imported list",
  user_preferences_webhook: "in their WhatsApp settings",
};

function optedOutHow(consent: PurposeConsent): string {
  return consent.source === null ? "" : ` ${howTheyOptedOut[consent.source]}`;
}

/**
 * In order: the one opt-out confirmation may go; after a STOP nothing else, except answering a
 * customer who wrote again, within 24 hours; marketing needs a marketing opt-in; outside the
 * window only templates, and a template that starts a conversation needs an opt-in on record.
 */
export function canSend(request: SendRequest): SendDecision {
  const { consent, purpose, kind, windowOpen, customerInitiated, isOptOutConfirmation } = request;
  const service = consent.service;
  const marketing = consent.marketing;
  const needsWindow = kind === "free_form";

  if (isOptOutConfirmation) {
    if (service.state !== "opted_out" && marketing.state !== "opted_out") {
      return blocked(
        "no_opt_out_to_confirm",
        "There is no opt-out to confirm: this customer has not opted out.",
      );
    }
    if (needsWindow && !windowOpen) {
      return blocked(
        "window_closed",
        "The opt-out confirmation can only be sent within 24 hours of the customer's message.",
      );
    }
    return allowed;
  }

  if (service.state === "opted_out") {
    if (purpose === "marketing" || !customerInitiated) {
      return blocked(
        "opted_out",
        `This customer opted out of all messages${optedOutHow(service)}. Nothing can be sent until they ` +
          "opt back in (for example by replying START); if they write to you with a question, you may " +
          "answer it within 24 hours.",
      );
    }
    if (!windowOpen) {
      return blocked(
        "opted_out_window_closed",
        "This customer opted out of messages. You could answer their question only within 24 hours of " +
          "their message, and that time has passed.",
      );
    }
    return allowed;
  }

  if (purpose === "marketing") {
    if (marketing.state === "opted_out") {
      return blocked(
        "marketing_opted_out",
        `This customer opted out of marketing messages${optedOutHow(marketing)}, so promotions cannot be ` +
          "sent to them. Service replies are still allowed.",
      );
    }
    if (marketing.state !== "opted_in") {
      return blocked(
        "marketing_consent_missing",
        "Marketing messages need the customer's explicit opt-in to marketing, and none is on record.",
      );
    }
  }

  if (needsWindow && !windowOpen) {
    return blocked(
      "window_closed",
      "More than 24 hours have passed since the customer's last message, so only an approved template " +
        "can be sent.",
    );
  }

  // A template outside the window starts a conversation: WhatsApp allows that only with an opt-in.
  if (!windowOpen && service.state !== "opted_in" && marketing.state !== "opted_in") {
    return blocked(
      "consent_missing",
      "This customer has not opted in to messages, so the business cannot start a conversation with " +
        "them. Wait for them to write, or record their opt-in together with its evidence.",
    );
  }

  return allowed;
}
