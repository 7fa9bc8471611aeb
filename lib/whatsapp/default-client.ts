import { createGraphClient, type GraphClient } from "./graph-client";
import { whatsappConfig } from "./config";

let cached: GraphClient | undefined;

/** The Graph API client this process uses: Meta's API, or the simulator's stand-in. */
export function defaultGraphClient(): GraphClient {
  if (cached) return cached;
  const config = whatsappConfig();
  // A production server in simulator mode without WHATSAPP_MODE=simulator has nowhere to send.
  const usable = config.mode === "cloud" || config.simulatorEnabled;
  cached = createGraphClient({
    baseUrl: config.apiBaseUrl,
    version: config.apiVersion,
    timeoutMs: config.apiTimeoutMs,
    accessToken: usable ? config.accessToken : undefined,
  });
  return cached;
}
