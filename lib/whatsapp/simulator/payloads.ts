import { randomBytes } from "node:crypto";

/** Shapes Meta uses, built by the simulator for the webhooks it posts. */

/** Ids like Meta's: "wamid." and base64. */
export function newWamid(): string {
  return `wamid.${randomBytes(30).toString("base64")}`;
}

/** Numeric media ids of 16 digits, like Meta's. */
export function newMediaId(): string {
  const random = BigInt(`0x${randomBytes(8).toString("hex")}`);
  return String(10n ** 15n + (random % (9n * 10n ** 15n)));
}

/** JSON as Meta sends it: non-ASCII escaped as \uXXXX, so signatures are computed over those bytes. */
export function serializeLikeMeta(body: unknown): string {
  return JSON.stringify(body).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export interface BusinessNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId: string | null;
}

function envelope(business: BusinessNumber, value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: business.wabaId ?? "0",
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: business.displayPhoneNumber.replace(/\D/g, ""),
                phone_number_id: business.phoneNumberId,
              },
              ...value,
            },
            field: "messages",
          },
        ],
      },
    ],
  };
}

const unix = (at: Date) => String(Math.floor(at.getTime() / 1000));

/** An incoming message from the simulated customer; `content` is the type-specific part. */
export function customerMessageWebhook(input: {
  business: BusinessNumber;
  customer: { waId: string; name: string };
  wamid: string;
  at: Date;
  type: string;
  content: Record<string, unknown>;
  replyToWamid?: string | null;
}) {
  return envelope(input.business, {
    contacts: [{ profile: { name: input.customer.name }, wa_id: input.customer.waId }],
    messages: [
      {
        ...(input.replyToWamid
          ? {
              context: { from: input.business.displayPhoneNumber.replace(/\D/g, ""), id: input.replyToWamid },
            }
          : {}),
        from: input.customer.waId,
        id: input.wamid,
        timestamp: unix(input.at),
        type: input.type,
        ...input.content,
      },
    ],
  });
}

/** A status update for a message the business sent. */
export function statusUpdateWebhook(input: {
  business: BusinessNumber;
  recipient: string;
  wamid: string;
  status: "sent" | "delivered" | "read" | "failed";
  at: Date;
  error?: { code: number; title: string; details?: string };
}) {
  return envelope(input.business, {
    statuses: [
      {
        id: input.wamid,
        status: input.status,
        timestamp: unix(input.at),
        recipient_id: input.recipient,
        ...(input.error
          ? {
              errors: [
                {
                  code: input.error.code,
                  title: input.error.title,
                  message: input.error.title,
                  error_data: { details: input.error.details ?? input.error.title },
                  href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
                },
              ],
            }
          : {}),
      },
    ],
  });
}
