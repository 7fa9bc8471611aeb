/**
 * Meta-shaped webhook bodies, as strings. Pure on purpose: the bench and the fault suite build
 * their traffic here without loading the webhook route (and so the app) into their own process.
 */

/** The phone_number_id every Meta sample is addressed to. */
export const samplePhoneNumberId = "106540352242922";

const sampleDisplayPhoneNumber = "15550783881";

function messagesWebhook(
  metadata: { phoneNumberId?: string; displayPhoneNumber?: string },
  value: Record<string, unknown>,
): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: metadata.displayPhoneNumber ?? sampleDisplayPhoneNumber,
                phone_number_id: metadata.phoneNumberId ?? samplePhoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  });
}

/** A messages webhook for one text message (tests vary ids and texts with it). */
export function textWebhook(input: {
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  wamid: string;
  from: string;
  name?: string;
  body: string;
  timestamp?: number;
}): string {
  return messagesWebhook(input, {
    contacts: [{ profile: { name: input.name ?? "Sheena Nelson" }, wa_id: input.from }],
    messages: [
      {
        from: input.from,
        id: input.wamid,
        timestamp: String(input.timestamp ?? 1_750_000_000),
        type: "text",
        text: { body: input.body },
      },
    ],
  });
}

/** A status webhook. */
export function statusWebhook(input: {
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  recipientId?: string;
  statuses: { wamid: string; status: string; timestamp?: number; errors?: unknown[] }[];
}): string {
  return messagesWebhook(input, {
    statuses: input.statuses.map((status) => ({
      id: status.wamid,
      status: status.status,
      timestamp: String(status.timestamp ?? 1_750_000_000),
      recipient_id: input.recipientId ?? "16505551234",
      ...(status.errors ? { errors: status.errors } : {}),
    })),
  });
}
