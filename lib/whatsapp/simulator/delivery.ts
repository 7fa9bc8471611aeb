import { signWebhookBody } from "../signature";

/** Posts a webhook body to the app; resolves to the HTTP status it answered. */
export type WebhookDeliverer = (rawBody: string) => Promise<{ status: number }>;

/**
 * Delivers like Meta: a POST of the exact bytes, signed with the app secret, to the webhook URL,
 * so simulated traffic goes through the same route and code as production traffic.
 */
export function httpWebhookDeliverer(webhookUrl: string, appSecret: string): WebhookDeliverer {
  return async (rawBody) => {
    try {
      const response = await fetch(webhookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": signWebhookBody(rawBody, appSecret),
        },
        body: rawBody,
        signal: AbortSignal.timeout(15_000),
      });
      await response.body?.cancel();
      return { status: response.status };
    } catch {
      return { status: 0 };
    }
  };
}
