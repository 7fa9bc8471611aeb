/**
 * Forged, missing, wrong-algorithm and replayed WhatsApp webhook deliveries over a real HTTP server,
 * answered as in production by server.ts's direct webhook path.
 */
import { createHash, createHmac } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { messages, type Inbox } from "@/lib/db/schema";
import { webhookQueueSettled } from "@/lib/domain/webhooks/queue";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { signWebhookBody } from "@/lib/whatsapp/signature";
import { setupTestDatabase } from "../support/db";
import type { TestServer } from "../support/http-server";
import { createInbox } from "../support/factories";
import { serveWebhooksDirectly, textWebhook } from "../support/whatsapp";

const database = setupTestDatabase();
let inbox: Inbox;
let server: TestServer;
let base: string;
let sequence = 0;

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  inbox = await createInbox(database().handle.db, { phoneNumberId: "555000222" });
  server = await serveWebhooksDirectly();
  base = server.url;
});
afterAll(async () => {
  await server.close();
  clearDatabaseHandle();
});

function body(text = "hello") {
  sequence += 1;
  return textWebhook({
    phoneNumberId: inbox.phoneNumberId,
    wamid: `wamid.sec-${sequence}-${Date.now()}`,
    from: `1555800${String(sequence).padStart(4, "0")}`,
    body: text,
  });
}

function post(payload: string, signature: string | null, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...extra };
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return fetch(`${base}/api/webhooks/whatsapp`, { method: "POST", headers, body: payload });
}

/** Messages with this text once whatever was accepted has been processed. */
async function messagesWithBody(text: string) {
  await webhookQueueSettled();
  const [row] = await database()
    .handle.db.select({ n: count() })
    .from(messages)
    .where(eq(messages.body, text));
  return row?.n ?? 0;
}

const secret = () => whatsappConfig().appSecret;

const forgeries: [string, (payload: string) => string | null][] = [
  ["no signature header", () => null],
  ["an empty signature", () => ""],
  ["a signature made with another secret", (p) => signWebhookBody(p, "not-the-app-secret")],
  [
    "sha1 (X-Hub-Signature's algorithm) under the sha256 header",
    (p) => `sha1=${createHmac("sha1", secret()).update(p).digest("hex")}`,
  ],
  ["sha256 of the body without a key", (p) => `sha256=${createHash("sha256").update(p).digest("hex")}`],
  ["md5 HMAC labelled sha256", (p) => `sha256=${createHmac("md5", secret()).update(p).digest("hex")}`],
  [
    "sha512 HMAC under the sha256 label",
    (p) => `sha256=${createHmac("sha512", secret()).update(p).digest("hex")}`,
  ],
  ["a truncated valid signature", (p) => signWebhookBody(p, secret()).slice(0, 40)],
  ["the valid hex without its prefix", (p) => signWebhookBody(p, secret()).slice("sha256=".length)],
  ["a valid signature of another body", () => signWebhookBody(body("other"), secret())],
  ["zeros", () => `sha256=${"0".repeat(64)}`],
];

describe("forged webhook signatures", () => {
  it.each(forgeries)("refuses %s with 401 and stores nothing", async (_name, sign) => {
    const marker = `forged-${Math.random().toString(36).slice(2)}`;
    const payload = body(marker);
    const response = await post(payload, sign(payload));
    expect(response.status).toBe(401);
    expect(await messagesWithBody(marker)).toBe(0);
  });

  it("refuses a body changed after signing (one byte appended)", async () => {
    const marker = `tampered-${Math.random().toString(36).slice(2)}`;
    const payload = body(marker);
    const response = await post(`${payload} `, signWebhookBody(payload, secret()));
    expect(response.status).toBe(401);
    expect(await messagesWithBody(marker)).toBe(0);
  });

  it("refuses the sha1 X-Hub-Signature header alone", async () => {
    const marker = `sha1-only-${Math.random().toString(36).slice(2)}`;
    const payload = body(marker);
    const response = await post(payload, null, {
      "x-hub-signature": `sha1=${createHmac("sha1", secret()).update(payload).digest("hex")}`,
    });
    expect(response.status).toBe(401);
    expect(await messagesWithBody(marker)).toBe(0);
  });
});

describe("replayed webhooks with a valid signature", () => {
  // webhook_events keeps every delivery as received (the raw log); the message is stored once.
  it("stores a delivery replayed 20 times concurrently as one message", async () => {
    const marker = `replayed-${Math.random().toString(36).slice(2)}`;
    const payload = body(marker);
    const signature = signWebhookBody(payload, secret());
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(payload, signature)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    // And once more, later, sequentially.
    expect((await post(payload, signature)).status).toBe(200);
    expect(await messagesWithBody(marker)).toBe(1);
  });
});
