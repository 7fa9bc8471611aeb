import { maskSecrets, type MaskedSecret } from "@/lib/policy/card-masking";
import type { PlannedMessage, WebhookPlan } from "@/lib/whatsapp/webhook-plan";

/** Keys under which WhatsApp carries what the customer typed (text, captions, replies, edits). */
const typedKeys = new Set(["body", "caption", "text", "description", "title"]);

export interface MaskedOriginal {
  body: string | null;
  payload: Record<string, unknown>;
  kinds: MaskedSecret["kind"][];
}

export interface MaskedWebhook {
  plan: WebhookPlan;
  /** The raw body with the same secrets masked, as it is stored in webhook_events. */
  rawBody: string;
  /** The unmasked message by wamid, for message_originals when the privacy settings keep them. */
  originals: Map<string, MaskedOriginal>;
}

/**
 * Masks card numbers, labelled CVV/PIN/one-time codes and IBANs in what customers send before any
 * of it is stored: the message body, its preview, the payload's typed fields and the raw event.
 * The raw event then no longer matches its signature; it was checked before this runs.
 */
export function maskInboundWebhook(plan: WebhookPlan, rawBody: string): MaskedWebhook {
  const originals = new Map<string, MaskedOriginal>();
  const spans = new Map<string, string>();
  const changes = plan.changes.map((change) => ({
    ...change,
    messages: change.messages.map((message) => {
      const masked = maskPlannedMessage(message, spans);
      if (masked.kinds.length === 0) return message;
      originals.set(message.wamid, { body: message.body, payload: message.payload, kinds: masked.kinds });
      return masked.message;
    }),
  }));
  let maskedRaw = rawBody;
  for (const [original, masked] of spans) {
    for (const form of jsonForms(original)) maskedRaw = maskedRaw.split(form).join(jsonEscape(masked, true));
  }
  return { plan: { ...plan, changes }, rawBody: maskedRaw, originals };
}

function maskPlannedMessage(message: PlannedMessage, spans: Map<string, string>) {
  const kinds: MaskedSecret["kind"][] = [];
  const mask = (text: string): string => {
    const result = maskSecrets(text);
    for (const finding of result.findings) {
      kinds.push(finding.kind);
      const end = finding.index + finding.length;
      spans.set(text.slice(finding.index, end), result.text.slice(finding.index, end));
    }
    return result.text;
  };
  const body = message.body === null ? null : mask(message.body);
  const preview = mask(message.preview);
  const payload = maskTypedFields(message.payload, mask) as Record<string, unknown>;
  return { kinds, message: { ...message, body, preview, payload } };
}

function maskTypedFields(value: unknown, mask: (text: string) => string, key?: string): unknown {
  if (typeof value === "string") return key !== undefined && typedKeys.has(key) ? mask(value) : value;
  if (Array.isArray(value)) return value.map((item) => maskTypedFields(item, mask, key));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, maskTypedFields(inner, mask, name)]),
    );
  }
  return value;
}

/** How a string can appear inside a JSON document: plainly escaped, or with non-ASCII as \uXXXX (Meta). */
function jsonForms(text: string): string[] {
  return [...new Set([jsonEscape(text, false), jsonEscape(text, true)])];
}

function jsonEscape(text: string, asciiOnly: boolean): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  if (!asciiOnly) return escaped;
  return escaped.replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
