import { timeOfDay } from "@/lib/client/format";
import { canSend, type ConsentSnapshot, type ConsentSource, type SendDecision } from "@/lib/policy/consent";
import { matchConsentKeyword, type ConsentKeywordOptions } from "@/lib/policy/opt-out-keywords";
import type { ContactConsentsView, ThreadMessage } from "./types";

/** The consent part of a cached contact ledger (dates as JSON strings, as the socket sends them). */
export type ConsentJson = ContactConsentsView["consent"];

export function consentFromJson(consent: ConsentJson): ConsentSnapshot {
  const purpose = (value: ConsentJson["service"]) => ({
    state: value.state,
    since: value.since === null ? null : new Date(value.since),
    source: value.source,
  });
  return { service: purpose(consent.service), marketing: purpose(consent.marketing) };
}

export const consentSourceLabels: Record<ConsentSource, string> = {
  inbound_keyword: "STOP/START reply",
  web_form: "web form",
  event_registration: "event registration",
  agent: "agent",
  import: "import",
  user_preferences_webhook: "WhatsApp settings",
};

/**
 * Whether the customer wrote something other than a STOP/START keyword (the inbox's own included,
 * matched as the ingest matches them) at or after `since`: what lets an agent answer a question
 * after an opt-out. The server judges again; this keeps the composer in step without a request.
 */
export function customerWroteSince(
  messages: readonly ThreadMessage[],
  since: Date | null,
  keywords: ConsentKeywordOptions = {},
): boolean {
  if (since === null) return false;
  // WhatsApp timestamps are whole seconds: a question in the STOP's second counts.
  const from = Math.floor(since.getTime() / 1000) * 1000;
  return messages.some(
    (message) =>
      message.direction === "inbound" &&
      message.authorKind === "contact" &&
      new Date(message.createdAt).getTime() >= from &&
      (message.type !== "text" || matchConsentKeyword(message.body ?? "", keywords) === null),
  );
}

export interface ConsentBanner {
  kind: "opted_out" | "service_only";
  text: string;
}

export interface ComposerConsent {
  banner: ConsentBanner | null;
  /** Free text and canned replies. */
  freeForm: SendDecision;
  /** A service (utility) template; marketing templates are judged by the server. */
  template: SendDecision;
}

const allowed: SendDecision = { allowed: true };

function dateText(at: Date): string {
  return `${at.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" })} at ${timeOfDay(at.toISOString())}`;
}

/**
 * What the composer may send and the banner it shows, by the same rules the server applies
 * (lib/policy/consent.ts). Unknown consent (still loading) blocks nothing: the server decides.
 */
export function composerConsent(
  consent: ConsentJson | undefined,
  { windowOpen, customerWroteAgain }: { windowOpen: boolean; customerWroteAgain: boolean },
): ComposerConsent {
  if (!consent) return { banner: null, freeForm: allowed, template: allowed };
  const snapshot = consentFromJson(consent);
  const judge = (kind: "free_form" | "template") =>
    canSend({
      consent: snapshot,
      purpose: "service",
      kind,
      windowOpen,
      customerInitiated: customerWroteAgain,
      isOptOutConfirmation: false,
    });
  const freeForm = judge("free_form");
  const template = judge("template");
  const service = snapshot.service;
  if (service.state !== "opted_out") return { banner: null, freeForm, template };

  const how = service.source === "inbound_keyword" ? "STOP" : consentSourceLabels[service.source ?? "agent"];
  const on = service.since ? `on ${dateText(service.since)} ` : "";
  if (customerWroteAgain && windowOpen) {
    return {
      banner: {
        kind: "service_only",
        text:
          `Opted out ${on}via ${how}, then wrote again without START: you may answer with service replies ` +
          "while the 24-hour window is open; marketing stays blocked.",
      },
      freeForm,
      template,
    };
  }
  return {
    banner: {
      kind: "opted_out",
      text: customerWroteAgain
        ? `Opted out ${on}via ${how}. They wrote again, but more than 24 hours ago: replies are blocked until they write again or reply START.`
        : `Opted out ${on}via ${how} — only the confirmation was sent; replies are blocked until they reply START.`,
    },
    freeForm,
    template,
  };
}
