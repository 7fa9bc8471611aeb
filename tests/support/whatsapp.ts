import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GET, POST } from "@/app/api/webhooks/whatsapp/route";
import { webhookQueueSettled } from "@/lib/domain/webhooks/queue";
import { answerWebhookDirectly } from "@/lib/http/whatsapp-webhook";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { signWebhookBody } from "@/lib/whatsapp/signature";
import { serveNode, type TestServer } from "./http-server";

export { samplePhoneNumberId, statusWebhook, textWebhook } from "./whatsapp-payloads";

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/whatsapp");

/** Meta's documentation samples (tests/fixtures/whatsapp), byte for byte. */
export function fixture(name: string): string {
  return readFileSync(path.join(fixturesDir, name), "utf8");
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixture(name));
}

export const fixtureNames = readdirSync(fixturesDir).filter((name) => name.endsWith(".json"));

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

/** A real HTTP server answering webhook POSTs as server.ts does in production (`answerWebhookDirectly`). */
export function serveWebhooksDirectly(): Promise<TestServer> {
  return serveNode((req, res) => void answerWebhookDirectly(req, res, req.socket.remoteAddress));
}

export function getWebhook(query: string): Response {
  return GET(new Request(`http://localhost/api/webhooks/whatsapp?${query}`));
}
