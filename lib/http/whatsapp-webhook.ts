import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "@/lib/db";
import type { Ctx } from "@/lib/domain/context";
import { UnauthenticatedError } from "@/lib/domain/errors";
import { acceptWhatsAppWebhook } from "@/lib/domain/webhooks/ingest";
import { drainWebhookQueue, whileAccepting } from "@/lib/domain/webhooks/queue";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { isValidWebhookSignature } from "@/lib/whatsapp/signature";
import { mapError } from "./errors";
import { bodyTooLarge } from "./raw-body";

/** Meta sends up to about 3 MB per delivery. */
export const WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;

export const WEBHOOK_PATH = "/api/webhooks/whatsapp";

/**
 * One delivery from Meta: the signature over the exact bytes (401 and nothing stored otherwise),
 * then the raw event committed; the caller answers 200 after that. The messages and statuses in it
 * are processed right after, off the request, by this process's webhook queue.
 */
export async function receiveWhatsAppWebhook(
  ctx: Ctx,
  raw: Uint8Array,
  signature: string | null,
): Promise<void> {
  if (!isValidWebhookSignature(raw, signature, whatsappConfig().appSecret)) {
    throw new UnauthenticatedError(
      "The X-Hub-Signature-256 signature is missing or does not match the body.",
    );
  }
  const accepted = await whileAccepting(() =>
    acceptWhatsAppWebhook({ ctx, input: { rawBody: new TextDecoder().decode(raw), signature } }),
  );
  if (accepted.queued) void drainWebhookQueue();
}

/** The body of a Node request, refusing more than the limit by Content-Length and by counting. */
function readNodeBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      request.resume();
      reject(bodyTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        chunks.length = 0;
        request.removeAllListeners("data");
        request.resume();
        reject(bodyTooLarge(limit));
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks, size)));
    request.on("error", reject);
  });
}

/**
 * server.ts answers Meta's POSTs here, on the Node request itself: the same verb as the route
 * handler (app/api/webhooks/whatsapp), without Next's router in front of it, because Meta's
 * deliveries are the busiest path there is (bench/README.md: ingest). Errors map as on every route.
 */
export async function answerWebhookDirectly(
  request: IncomingMessage,
  response: ServerResponse,
  ip: string | undefined,
): Promise<void> {
  let status = 200;
  let headers: Record<string, string> = {};
  let body: unknown = { received: true };
  try {
    const raw = await readNodeBody(request, WEBHOOK_BODY_LIMIT);
    const signature = request.headers["x-hub-signature-256"];
    const ctx: Ctx = {
      actor: { kind: "system", reason: "whatsapp webhook" },
      db: await getDb(),
      now: new Date(),
      ip,
    };
    await receiveWhatsAppWebhook(ctx, raw, typeof signature === "string" ? signature : null);
  } catch (error) {
    const mapped = mapError(error, { method: "POST", url: WEBHOOK_PATH });
    status = mapped.status;
    headers = mapped.headers;
    body = mapped.body;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
