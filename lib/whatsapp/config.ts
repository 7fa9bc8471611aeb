import { createHmac } from "node:crypto";
import { getEnv } from "@/lib/env";
import { localSecret } from "@/lib/secrets";

export interface WhatsAppConfig {
  mode: "simulator" | "cloud";
  /** Signs webhooks (Meta's app secret): HMAC-SHA256 key of X-Hub-Signature-256. */
  appSecret: string;
  /** What Meta must send as hub.verify_token when the webhook is registered. */
  verifyToken: string;
  /** Graph API root without the version, e.g. https://graph.facebook.com. */
  apiBaseUrl: string;
  apiVersion: string;
  /** Milliseconds before a Graph API call is given up (WHATSAPP_API_TIMEOUT_MS). */
  apiTimeoutMs: number;
  /** Bearer token for the Graph API: Meta's in cloud mode, a derived one for the simulator. */
  accessToken: string | undefined;
  simulatorEnabled: boolean;
  simulatorAccess: "admins" | "anyone";
  /** Where the simulator posts the customer's messages and its status updates. */
  webhookUrl: string;
}

/** The simulator's bearer token: derived from the app secret, so nothing else has to be configured. */
export function simulatorAccessToken(appSecret: string): string {
  return createHmac("sha256", appSecret).update("parley simulator graph token").digest("hex");
}

let cached: WhatsAppConfig | undefined;

/**
 * WhatsApp settings with their secrets resolved: generated and kept in DATA_DIR in development,
 * required in production (server.ts calls this at start-up so a missing one stops it there).
 */
export function whatsappConfig(): WhatsAppConfig {
  if (cached) return cached;
  const env = getEnv();
  const appSecret = localSecret("WHATSAPP_APP_SECRET", env.whatsapp.appSecret);
  const verifyToken = localSecret("WHATSAPP_VERIFY_TOKEN", env.whatsapp.verifyToken);
  cached = {
    mode: env.whatsapp.mode,
    appSecret,
    verifyToken,
    apiBaseUrl: env.whatsapp.apiBaseUrl,
    apiVersion: env.whatsapp.apiVersion,
    apiTimeoutMs: env.whatsapp.apiTimeoutMs,
    accessToken: env.whatsapp.mode === "cloud" ? env.whatsapp.accessToken : simulatorAccessToken(appSecret),
    simulatorEnabled: env.whatsapp.simulatorEnabled,
    simulatorAccess: env.whatsapp.simulatorAccess,
    webhookUrl: `${env.appUrl}/api/webhooks/whatsapp`,
  };
  return cached;
}
