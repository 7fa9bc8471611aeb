import { z } from "zod";

/**
 * Zod schemas for the WhatsApp Cloud API webhook (field `messages` and friends). They are lenient
 * where Meta is: ids may come as numbers, most fields are optional, unknown keys are ignored here
 * (the raw payload is kept beside every parsed message). Every item is parsed on its own so one
 * odd message never sinks the rest of a batch.
 */

/** Meta ids are strings, but a number is accepted rather than dropping the item. */
const id = z.union([z.string(), z.number()]).transform(String);
const text = z.string().max(65_536);

/** Unix seconds, as a string (usually) or a number; anything unusable is left out. */
export const unixTime = z.union([z.string(), z.number()]).transform((value, context) => {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 1e11) {
    context.addIssue({ code: "custom", message: "timestamp must be unix seconds" });
    return z.NEVER;
  }
  return new Date(seconds * 1000);
});

export const webhookEnvelopeSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: id.optional(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

export const metadataSchema = z.object({
  display_phone_number: z.string().optional(),
  phone_number_id: id,
});

/** The value of a `messages` change: what the parts are is checked item by item below. */
export const messagesValueSchema = z.object({
  messaging_product: z.string().optional(),
  metadata: metadataSchema,
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

export const webhookContactSchema = z.object({
  wa_id: z.string().optional(),
  /** Business-scoped user id (BSUID), present for every user from 2026 and the only id of username users. */
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
  profile: z
    .object({
      name: z.string().optional(),
      username: z.string().optional(),
      country_code: z.string().optional(),
    })
    .optional(),
});
export type WebhookContact = z.infer<typeof webhookContactSchema>;

export const whatsappErrorSchema = z.object({
  code: z.coerce.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type WhatsAppError = z.infer<typeof whatsappErrorSchema>;

const contextSchema = z.object({
  /** The wamid this message replies to (or was forwarded from, with `forwarded`). */
  id: z.string().optional(),
  from: z.string().optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
  referred_product: z
    .object({ catalog_id: id.optional(), product_retailer_id: z.string().optional() })
    .optional(),
});

/** Click-to-WhatsApp ads and other entry points. */
const referralSchema = z.object({
  source_url: z.string().optional(),
  source_id: z.string().optional(),
  source_type: z.string().optional(),
  body: z.string().optional(),
  headline: z.string().optional(),
  media_type: z.string().optional(),
  image_url: z.string().optional(),
  video_url: z.string().optional(),
  thumbnail_url: z.string().optional(),
  ctwa_clid: z.string().optional(),
  welcome_message: z.object({ text: z.string().optional() }).optional(),
});

/** What every incoming message has, whatever its type. */
export const inboundMessageBaseSchema = z.object({
  id: z.string().min(1).max(1024),
  /** Empty or missing for username users; then from_user_id identifies them. */
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  from_parent_user_id: z.string().optional(),
  timestamp: unixTime.optional().catch(undefined),
  type: z.string().optional(),
  context: contextSchema.optional().catch(undefined),
  referral: referralSchema.optional().catch(undefined),
  errors: z.array(whatsappErrorSchema).optional().catch(undefined),
});
export type InboundMessageBase = z.infer<typeof inboundMessageBaseSchema>;

const mediaSchema = z.object({
  id: id,
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: text.optional(),
  filename: z.string().optional(),
  url: z.string().optional(),
  /** audio: a voice note recorded in WhatsApp. */
  voice: z.boolean().optional(),
  /** sticker: animated or not. */
  animated: z.boolean().optional(),
});
export type WebhookMedia = z.infer<typeof mediaSchema>;

const interactiveSchema = z.union([
  z.object({ type: z.literal("button_reply"), button_reply: z.object({ id: z.string(), title: text }) }),
  z.object({
    type: z.literal("list_reply"),
    list_reply: z.object({ id: z.string(), title: text, description: text.optional() }),
  }),
  /** A WhatsApp Flow completed ("next feature messaging"): response_json is a JSON string. */
  z.object({
    type: z.literal("nfm_reply"),
    nfm_reply: z.object({ name: z.string().optional(), body: text.optional(), response_json: z.string() }),
  }),
]);

const contactCardSchema = z.object({
  name: z
    .object({
      formatted_name: z.string().optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
    })
    .optional(),
  org: z.object({ company: z.string().optional() }).optional(),
  phones: z
    .array(
      z.object({ phone: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() }),
    )
    .optional(),
  emails: z.array(z.object({ email: z.string().optional(), type: z.string().optional() })).optional(),
  vcard: z.string().optional(),
});

/** The part specific to each documented message type, keyed by `type`. */
export const inboundMessageContentSchemas = {
  text: z.object({ text: z.object({ body: text }) }),
  image: z.object({ image: mediaSchema }),
  audio: z.object({ audio: mediaSchema }),
  video: z.object({ video: mediaSchema }),
  document: z.object({ document: mediaSchema }),
  sticker: z.object({ sticker: mediaSchema }),
  location: z.object({
    location: z.object({
      latitude: z.coerce.number(),
      longitude: z.coerce.number(),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    }),
  }),
  contacts: z.object({ contacts: z.array(contactCardSchema) }),
  interactive: z.object({ interactive: interactiveSchema }),
  /** A quick-reply button of a template was tapped. */
  button: z.object({ button: z.object({ text: text, payload: z.string().optional() }) }),
  /** An empty emoji removes the customer's earlier reaction. */
  reaction: z.object({ reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }) }),
  order: z.object({
    order: z.object({
      catalog_id: id.optional(),
      text: text.optional(),
      product_items: z.array(
        z.object({
          product_retailer_id: z.string(),
          quantity: z.coerce.number(),
          item_price: z.coerce.number(),
          currency: z.string(),
        }),
      ),
    }),
  }),
  system: z.object({
    system: z.object({
      body: text.optional(),
      type: z.string().optional(),
      wa_id: z.string().optional(),
      new_wa_id: z.string().optional(),
      user_id: z.string().optional(),
    }),
  }),
  unsupported: z.object({ unsupported: z.object({ type: z.string().optional() }).optional() }),
  /** The customer opened the chat for the first time (from a link or an ad), before writing. */
  request_welcome: z.object({}),
  /** Coexistence numbers only: the customer edited an earlier message. */
  edit: z.object({
    edit: z.object({
      original_message_id: z.string(),
      message: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
  /** Coexistence numbers only: the customer deleted an earlier message. */
  revoke: z.object({ revoke: z.object({ original_message_id: z.string() }) }),
} as const;
export type KnownInboundType = keyof typeof inboundMessageContentSchemas;

export function isKnownInboundType(type: string | undefined): type is KnownInboundType {
  return type !== undefined && Object.hasOwn(inboundMessageContentSchemas, type);
}

export const webhookStatusSchema = z.object({
  id: z.string().min(1).max(1024),
  /** sent, delivered, read, played (voice) or failed; other values are recorded and ignored. */
  status: z.string(),
  timestamp: unixTime.optional().catch(undefined),
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  errors: z.array(whatsappErrorSchema).optional().catch(undefined),
  biz_opaque_callback_data: z.string().optional(),
  conversation: z.unknown().optional(),
  pricing: z.unknown().optional(),
});
export type WebhookStatus = z.infer<typeof webhookStatusSchema>;

export const userPreferencesValueSchema = z.object({
  metadata: metadataSchema.optional(),
  user_preferences: z.array(
    z.object({
      wa_id: z.string().optional(),
      user_id: z.string().optional(),
      detail: z.string().optional(),
      category: z.string().optional(),
      value: z.string().optional(),
      timestamp: unixTime.optional().catch(undefined),
    }),
  ),
});

/** Meta's review of a template changed (field `message_template_status_update`). */
export const templateStatusValueSchema = z.object({
  event: z.string(),
  message_template_id: id.optional(),
  message_template_name: z.string(),
  message_template_language: z.string(),
  reason: z.string().nullish(),
});
