import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GET, POST } from "@/app/api/webhooks/whatsapp/route";
import { webhookQueueSettled } from "@/lib/domain/webhooks/queue";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { signWebhookBody } from "@/lib/whatsapp/signature";

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/whatsapp");

/** Meta's documentation samples (tests/fixtures/whatsapp), byte for byte. */
export function fixture(name: string): string {
  return readFileSync(path.join(fixturesDir, name), "utf8");
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixture(name));
}

export const fixtureNames = readdirSync(fixturesDir).filter((name) => name.endsWith(".json"));

/** The phone_number_id every Meta sample is addressed to. */
export const samplePhoneNumberId = "106540352242922";

export function webhookRequest(
  body: string | Uint8Array,
  options: { signature?: string | null; headers?: Record<string, string> } = {},
): Request {
  const signature =
    options.signature === undefined ? signWebhookBody(body, whatsappConfig().appSecret) : options.signature;
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return new Request("http://localhost/api/webhooks/whatsapp", {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : Buffer.from(body),
  });
}

/**
 * The real route handler, answering once the events it queued have been processed (the route
 * itself answers before that), so a test can look for the derived rows straight after.
 */
export async function webhookRouteSettled(request: Request): Promise<Response> {
  const response = await POST(request, undefined);
  await webhookQueueSettled();
  return response;
}

/** Posts a body through the real route handler, signed with the app secret like Meta does. */
export function postWebhook(
  body: string | Uint8Array,
  options: { signature?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  return webhookRouteSettled(webhookRequest(body, options));
}

export function getWebhook(query: string): Response {
  return GET(new Request(`http://localhost/api/webhooks/whatsapp?${query}`));
}

/** A Meta-shaped messages webhook for one text message (tests vary ids and texts with it). */
export function textWebhook(input: {
  phoneNumberId?: string;
  wamid: string;
  from: string;
  name?: string;
  body: string;
  timestamp?: number;
}): string {
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
                display_phone_number: "15550783881",
                phone_number_id: input.phoneNumberId ?? samplePhoneNumberId,
              },
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
            },
          },
        ],
      },
    ],
  });
}

/** A Meta-shaped status webhook. */
export function statusWebhook(input: {
  phoneNumberId?: string;
  statuses: { wamid: string; status: string; timestamp?: number; errors?: unknown[] }[];
}): string {
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
                display_phone_number: "15550783881",
                phone_number_id: input.phoneNumberId ?? samplePhoneNumberId,
              },
              statuses: input.statuses.map((status) => ({
                id: status.wamid,
                status: status.status,
                timestamp: String(status.timestamp ?? 1_750_000_000),
                recipient_id: "16505551234",
                ...(status.errors ? { errors: status.errors } : {}),
              })),
            },
          },
        ],
      },
    ],
  });
}
