import type { z } from "zod";
import type { DeliveryStatus } from "@/lib/db/schema";
import { isPlainObject } from "./json-safety";
import {
  inboundMessageBaseSchema,
  inboundMessageContentSchemas,
  isKnownInboundType,
  messagesValueSchema,
  templateStatusValueSchema,
  userPreferencesValueSchema,
  webhookContactSchema,
  webhookEnvelopeSchema,
  webhookStatusSchema,
  whatsappErrorSchema,
  type KnownInboundType,
  type WebhookContact,
} from "./webhook-schema";

/**
 * Turns a parsed webhook body into what Parley will store: pure, no database. Everything that
 * cannot be understood becomes a note (and, for messages, an "unsupported" message keeping the raw
 * payload) instead of an error, because a non-2xx answer makes Meta retry for days.
 */

export interface InboundIdentity {
  /** The customer's phone-number id; missing for some username users. */
  waId?: string;
  /** Business-scoped user id (BSUID). */
  userId?: string;
  profileName?: string;
}

export interface PlannedMessage {
  wamid: string;
  identity: InboundIdentity;
  /** When WhatsApp says it was sent; missing or unusable timestamps fall back to arrival time. */
  sentAt?: Date;
  /** The WhatsApp type, or "unsupported" for anything Parley cannot show. */
  type: string;
  body: string | null;
  /** Short text for conversation lists. */
  preview: string;
  /** The message object exactly as WhatsApp sent it. */
  payload: Record<string, unknown>;
  replyToWamid: string | null;
  /** A message from the customer (not a system notice): opens the 24-hour window, waits for an answer. */
  fromCustomer: boolean;
  /** user_changed_number: the customer's new wa_id. */
  newWaId?: string;
}

export interface PlannedStatus {
  wamid: string;
  status: DeliveryStatus;
  at?: Date;
  errorCode?: number;
  errorTitle?: string;
}

export interface PlannedChange {
  phoneNumberId: string;
  messages: PlannedMessage[];
  statuses: PlannedStatus[];
}

export interface PlannedTemplateUpdate {
  wabaId?: string;
  name: string;
  language: string;
  event: string;
}

/** A customer changed a messaging preference in WhatsApp (field `user_preferences`). */
export interface PlannedPreference {
  phoneNumberId: string | undefined;
  waId: string | undefined;
  userId: string | undefined;
  /** marketing_messages stop → opt_out, resume → opt_in; other categories are only noted. */
  action: "opt_out" | "opt_in";
  detail: string;
  at: Date | undefined;
}

export interface WebhookPlan {
  changes: PlannedChange[];
  templateUpdates: PlannedTemplateUpdate[];
  preferenceUpdates: PlannedPreference[];
  notes: string[];
}

export type PlanOutcome = { ok: true; plan: WebhookPlan } | { ok: false; reason: string };

const nonEmpty = (value: string | undefined) => (value && value.trim() !== "" ? value.trim() : undefined);

/** The first `max` characters, never cutting an emoji's surrogate pair in half (it would store as �). */
export function previewOf(text: string, max = 200): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "value"}: ${issue.message}`)
    .join("; ");
}

/** Which entry of `contacts` describes this sender: matched by id, else the only one there is. */
function contactFor(contacts: WebhookContact[], waId?: string, userId?: string): WebhookContact | undefined {
  const matched = contacts.find(
    (contact) =>
      (waId !== undefined && nonEmpty(contact.wa_id) === waId) ||
      (userId !== undefined && nonEmpty(contact.user_id) === userId),
  );
  return matched ?? (contacts.length === 1 ? contacts[0] : undefined);
}

const mediaLabels: Record<string, string> = {
  image: "📷 Photo",
  video: "🎥 Video",
  document: "📄 Document",
  sticker: "Sticker",
};

interface Described {
  body: string | null;
  preview?: string;
  /** The wamid a reaction, edit or revoke is about. */
  refersTo?: string;
  newWaId?: string;
}

type DescribeResult = { ok: true; described: Described } | { ok: false; error: z.ZodError };

function using<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  describe: (content: z.output<S>) => Described,
): DescribeResult {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, described: describe(parsed.data) } : { ok: false, error: parsed.error };
}

function describeMedia(type: string, media: { caption?: string; filename?: string }): Described {
  const caption = nonEmpty(media.caption);
  const label = mediaLabels[type] ?? type;
  return { body: caption ?? null, preview: caption ? `${label}: ${caption}` : (media.filename ?? label) };
}

/** Body (what the thread shows as text), preview, and the wamid it refers to, per documented type. */
function describeContent(type: KnownInboundType, raw: unknown): DescribeResult {
  const schemas = inboundMessageContentSchemas;
  switch (type) {
    case "text":
      return using(schemas.text, raw, (c) => ({ body: c.text.body }));
    case "image":
      return using(schemas.image, raw, (c) => describeMedia(type, c.image));
    case "video":
      return using(schemas.video, raw, (c) => describeMedia(type, c.video));
    case "document":
      return using(schemas.document, raw, (c) => describeMedia(type, c.document));
    case "sticker":
      return using(schemas.sticker, raw, (c) => describeMedia(type, c.sticker));
    case "audio":
      return using(schemas.audio, raw, (c) => ({
        body: null,
        preview: c.audio.voice ? "🎤 Voice message" : "🎵 Audio",
      }));
    case "location":
      return using(schemas.location, raw, ({ location }) => {
        const label = [location.name, location.address].filter(Boolean).join(", ");
        return { body: label || null, preview: `📍 ${label || "Location"}` };
      });
    case "contacts":
      return using(schemas.contacts, raw, (c) => {
        const names = c.contacts.map((card) => card.name?.formatted_name ?? "Contact");
        return { body: null, preview: `👤 ${names.join(", ") || "Contact"}` };
      });
    case "interactive":
      return using(schemas.interactive, raw, ({ interactive }) => {
        if (interactive.type === "button_reply") return { body: interactive.button_reply.title };
        if (interactive.type === "list_reply") {
          const { title, description } = interactive.list_reply;
          return { body: description ? `${title} — ${description}` : title, preview: title };
        }
        return { body: interactive.nfm_reply.body ?? "Form submitted", preview: "📝 Form submitted" };
      });
    case "button":
      return using(schemas.button, raw, (c) => ({ body: c.button.text }));
    case "reaction":
      return using(schemas.reaction, raw, ({ reaction }) => {
        const emoji = nonEmpty(reaction.emoji);
        return { body: emoji ? `Reacted ${emoji}` : "Removed a reaction", refersTo: reaction.message_id };
      });
    case "order":
      return using(schemas.order, raw, ({ order }) => {
        const items = order.product_items.reduce((sum, item) => sum + item.quantity, 0);
        const summary = `🛒 Order of ${items} item${items === 1 ? "" : "s"}`;
        return { body: order.text ? `${order.text}\n${summary}` : summary, preview: summary };
      });
    case "system":
      return using(schemas.system, raw, ({ system }) => ({
        body: system.body ?? "WhatsApp system notice",
        newWaId:
          system.type === "user_changed_number" ? nonEmpty(system.wa_id ?? system.new_wa_id) : undefined,
      }));
    case "unsupported":
      return using(schemas.unsupported, raw, () => ({ body: null, preview: "Unsupported message" }));
    case "request_welcome":
      return using(schemas.request_welcome, raw, () => ({
        body: "The customer opened the chat.",
        preview: "👋 Opened the chat",
      }));
    case "edit":
      return using(schemas.edit, raw, ({ edit }) => {
        const newText = editedText(edit.message);
        return {
          body: newText ? `Edited a message: ${newText}` : "Edited a message.",
          refersTo: edit.original_message_id,
        };
      });
    case "revoke":
      return using(schemas.revoke, raw, ({ revoke }) => ({
        body: "The customer deleted a message.",
        refersTo: revoke.original_message_id,
      }));
  }
}

/** The new text of an edited message: its body, or its caption for media. */
function editedText(message: Record<string, unknown> | undefined): string | undefined {
  const innerType = typeof message?.type === "string" ? message.type : undefined;
  const part = innerType ? message?.[innerType] : undefined;
  if (!isPlainObject(part)) return undefined;
  if (typeof part.body === "string") return part.body;
  return typeof part.caption === "string" ? part.caption : undefined;
}

function planMessage(raw: unknown, contacts: WebhookContact[], notes: string[]): PlannedMessage | undefined {
  const base = inboundMessageBaseSchema.safeParse(raw);
  if (!base.success || !isPlainObject(raw)) {
    notes.push(
      `A message without a usable id was skipped (${base.success ? "not an object" : describeIssues(base.error)}).`,
    );
    return undefined;
  }
  const message = base.data;
  const waIdFromMessage = nonEmpty(message.from);
  const userIdFromMessage = nonEmpty(message.from_user_id);
  const contact = contactFor(contacts, waIdFromMessage, userIdFromMessage);
  const identity: InboundIdentity = {
    waId: waIdFromMessage ?? nonEmpty(contact?.wa_id),
    userId: userIdFromMessage ?? nonEmpty(contact?.user_id),
    profileName: nonEmpty(contact?.profile?.name),
  };
  if (!identity.waId && !identity.userId) {
    notes.push(`Message ${message.id} names no sender (no from, from_user_id or contact); skipped.`);
    return undefined;
  }

  let type = "unsupported";
  let described: Described = { body: null, preview: "Unsupported message" };
  if (isKnownInboundType(message.type)) {
    const result = describeContent(message.type, raw);
    if (result.ok) {
      type = message.type;
      described = result.described;
    } else {
      notes.push(
        `Message ${message.id} of type ${message.type} did not match its schema (${describeIssues(result.error)}); kept as unsupported.`,
      );
    }
  } else {
    notes.push(`Message ${message.id} has an unknown type (${message.type ?? "none"}); kept as unsupported.`);
  }

  const fromCustomer = type !== "system";
  return {
    wamid: message.id,
    identity,
    sentAt: message.timestamp,
    type,
    body: described.body,
    preview: previewOf(described.preview ?? described.body ?? "Message"),
    payload: raw,
    replyToWamid: described.refersTo ?? message.context?.id ?? null,
    fromCustomer,
    newWaId: described.newWaId,
  };
}

function planStatus(raw: unknown, notes: string[]): PlannedStatus | undefined {
  const parsed = webhookStatusSchema.safeParse(raw);
  if (!parsed.success) {
    notes.push(`A status was skipped (${describeIssues(parsed.error)}).`);
    return undefined;
  }
  const { id, status, timestamp, errors } = parsed.data;
  // A voice message being played is, for the sender, the same as it being read.
  const normalized: DeliveryStatus | undefined =
    status === "played"
      ? "read"
      : status === "sent" || status === "delivered" || status === "read" || status === "failed"
        ? status
        : undefined;
  if (!normalized) {
    notes.push(`Status "${status}" for ${id} is not one Parley tracks; recorded only.`);
    return undefined;
  }
  const error = errors?.[0];
  return {
    wamid: id,
    status: normalized,
    at: timestamp,
    errorCode: normalized === "failed" ? error?.code : undefined,
    errorTitle: normalized === "failed" ? (error?.title ?? error?.message) : undefined,
  };
}

function noteValueErrors(errors: unknown[] | undefined, notes: string[]) {
  for (const raw of errors ?? []) {
    const error = whatsappErrorSchema.safeParse(raw);
    if (!error.success) continue;
    const { code, title, message, error_data: data } = error.data;
    notes.push(
      `WhatsApp reported error ${code} (${title ?? message ?? "no title"})${data?.details ? `: ${data.details}` : ""}.`,
    );
  }
}

/** Plans a parsed (and already cleaned) webhook body; `ok: false` when it is not a WhatsApp webhook at all. */
export function planWebhook(body: unknown): PlanOutcome {
  const envelope = webhookEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    return { ok: false, reason: `Not a WhatsApp webhook body (${describeIssues(envelope.error)}).` };
  }
  const plan: WebhookPlan = { changes: [], templateUpdates: [], preferenceUpdates: [], notes: [] };
  if (envelope.data.object !== "whatsapp_business_account") {
    plan.notes.push(`Object "${envelope.data.object}" is not whatsapp_business_account; processed anyway.`);
  }

  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      if (change.field === "messages") {
        const value = messagesValueSchema.safeParse(change.value);
        if (!value.success) {
          plan.notes.push(`A messages change was not understood (${describeIssues(value.error)}).`);
          continue;
        }
        const contacts = (value.data.contacts ?? []).flatMap((raw) => {
          const contact = webhookContactSchema.safeParse(raw);
          return contact.success ? [contact.data] : [];
        });
        noteValueErrors(value.data.errors, plan.notes);
        const planned: PlannedChange = {
          phoneNumberId: value.data.metadata.phone_number_id,
          messages: (value.data.messages ?? []).flatMap(
            (raw) => planMessage(raw, contacts, plan.notes) ?? [],
          ),
          statuses: (value.data.statuses ?? []).flatMap((raw) => planStatus(raw, plan.notes) ?? []),
        };
        if (planned.messages.length > 0 || planned.statuses.length > 0) plan.changes.push(planned);
        continue;
      }
      if (change.field === "message_template_status_update") {
        const value = templateStatusValueSchema.safeParse(change.value);
        if (value.success) {
          plan.templateUpdates.push({
            wabaId: entry.id,
            name: value.data.message_template_name,
            language: value.data.message_template_language,
            event: value.data.event,
          });
          continue;
        }
      }
      if (change.field === "user_preferences") {
        const value = userPreferencesValueSchema.safeParse(change.value);
        if (value.success) {
          for (const preference of value.data.user_preferences) {
            const action =
              preference.category === "marketing_messages"
                ? preference.value === "stop"
                  ? "opt_out"
                  : preference.value === "resume"
                    ? "opt_in"
                    : undefined
                : undefined;
            const waId = nonEmpty(preference.wa_id);
            const userId = nonEmpty(preference.user_id);
            if (action && (waId || userId)) {
              plan.preferenceUpdates.push({
                phoneNumberId: value.data.metadata?.phone_number_id,
                waId,
                userId,
                action,
                detail: preference.detail ?? `${preference.category} ${preference.value}`,
                at: preference.timestamp,
              });
            }
            plan.notes.push(
              `user_preferences: ${preference.wa_id ?? preference.user_id ?? "a customer"} set ${preference.category ?? "a preference"} to ${preference.value ?? "?"}${preference.detail ? ` (${preference.detail})` : ""}.`,
            );
          }
          continue;
        }
      }
      plan.notes.push(`Field "${change.field}" recorded; Parley does not act on it.`);
    }
  }
  return { ok: true, plan };
}
