/** server.ts answers Meta's POSTs on the Node request itself; the same rules as the route handler. */
import { request as httpRequest } from "node:http";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { messages, webhookEvents, type Inbox } from "@/lib/db/schema";
import { webhookQueueSettled } from "@/lib/domain/webhooks/queue";
import { WEBHOOK_BODY_LIMIT, WEBHOOK_PATH } from "@/lib/http/whatsapp-webhook";
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

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  inbox = await createInbox(database().handle.db, { phoneNumberId: "pn-direct" });
  server = await serveWebhooksDirectly();
  base = server.url;
});
afterAll(async () => {
  await server.close();
  clearDatabaseHandle();
});

async function eventCount() {
  const [row] = await database().handle.db.select({ n: count() }).from(webhookEvents);
  return row?.n ?? 0;
}

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json()) as { error: { message: string } };
  return body.error.message;
}

function post(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) {
  return fetch(`${base}${WEBHOOK_PATH}`, { method: "POST", headers, body });
}

const signed = (body: string) => ({
  "content-type": "application/json",
  "x-hub-signature-256": signWebhookBody(body, whatsappConfig().appSecret),
});

describe("POST /api/webhooks/whatsapp answered by server.ts", () => {
  it("answers 200 once the raw event is stored; the message follows from the queue", async () => {
    const wamid = `wamid.direct.${Date.now()}`;
    const body = textWebhook({
      phoneNumberId: inbox.phoneNumberId,
      wamid,
      from: "15557200001",
      body: "Hi there",
    });
    const response = await post(body, signed(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    const [event] = await database()
      .handle.db.select()
      .from(webhookEvents)
      .where(eq(webhookEvents.rawBody, body));
    expect(event).toBeDefined();
    await webhookQueueSettled();
    const stored = await database().handle.db.select().from(messages).where(eq(messages.wamid, wamid));
    expect(stored.map((message) => message.body)).toEqual(["Hi there"]);
  });

  it("refuses a bad signature with 401 and a readable message, storing nothing", async () => {
    const before = await eventCount();
    const body = textWebhook({
      phoneNumberId: inbox.phoneNumberId,
      wamid: "wamid.direct.forged",
      from: "15557200002",
      body: "x",
    });
    const response = await post(body, { ...signed(body), "x-hub-signature-256": `sha256=${"0".repeat(64)}` });
    expect(response.status).toBe(401);
    expect(await errorMessage(response)).toMatch(/signature/i);
    expect(await eventCount()).toBe(before);
  });

  it("answers 400 for a signed body that is not JSON", async () => {
    const before = await eventCount();
    const response = await post("{not json", signed("{not json"));
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(/not valid JSON/);
    expect(await eventCount()).toBe(before);
  });

  it("answers 413 by Content-Length without reading the body", async () => {
    const response = await post(new Uint8Array(WEBHOOK_BODY_LIMIT + 1).fill(32), signed(""));
    expect(response.status).toBe(413);
    expect(await errorMessage(response)).toMatch(/larger than 3 MB/);
  });

  it("answers 413 for a chunked body that grows past the limit", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}${WEBHOOK_PATH}`, { method: "POST", headers: signed("") }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(256 * 1024, 32);
      let sent = 0;
      const write = () => {
        while (sent <= WEBHOOK_BODY_LIMIT) {
          sent += chunk.byteLength;
          if (!req.write(chunk)) return void req.once("drain", write);
        }
        req.end();
      };
      write();
    });
    expect(status).toBe(413);
  });
});
