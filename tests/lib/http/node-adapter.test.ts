import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/whatsapp/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { messages, webhookEvents, type Inbox } from "@/lib/db/schema";
import { serveWithHandler } from "@/lib/http/node-adapter";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { signWebhookBody } from "@/lib/whatsapp/signature";
import { setupTestDatabase } from "../../support/db";
import { createInbox } from "../../support/factories";
import { textWebhook } from "../../support/whatsapp";

// server.ts serves Meta's deliveries through this adapter, outside Next's router: the same
// handler over a real socket must answer exactly as Next would.
const database = setupTestDatabase();
let inbox: Inbox;
let server: Server;
let url: string;

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  inbox = await createInbox(database().handle.db, { phoneNumberId: "555000222", wabaId: "waba-fast" });
  server = createServer((request, response) => {
    void serveWithHandler(POST, request, response, "http://127.0.0.1");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/whatsapp`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  clearDatabaseHandle();
});

const body = (wamid: string) =>
  textWebhook({ phoneNumberId: inbox.phoneNumberId, wamid, from: "15557001234", body: "Over the socket" });
const post = (payload: string, headers: Record<string, string>) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: payload });
const signed = (payload: string) => ({
  "x-hub-signature-256": signWebhookBody(payload, whatsappConfig().appSecret),
});

async function storedEvents() {
  const [row] = await database().handle.db.select({ n: count() }).from(webhookEvents);
  return row?.n ?? 0;
}

describe("the webhook served outside Next's router", () => {
  it("stores a signed delivery once and acknowledges it with 200, also when it is replayed", async () => {
    const payload = body("wamid.fast-path-1");
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await post(payload, signed(payload));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: true });
    }
    const stored = await database()
      .handle.db.select()
      .from(messages)
      .where(eq(messages.wamid, "wamid.fast-path-1"));
    expect(stored).toHaveLength(1);
  });

  it("refuses a forged or missing signature with a readable 401 and stores nothing", async () => {
    const before = await storedEvents();
    const payload = body("wamid.fast-path-forged");
    const attempts: Record<string, string>[] = [{ "x-hub-signature-256": `sha256=${"0".repeat(64)}` }, {}];
    for (const headers of attempts) {
      const response = await post(payload, headers);
      expect(response.status).toBe(401);
      expect(JSON.stringify(await response.json())).toMatch(/signature/i);
    }
    expect(await storedEvents()).toBe(before);
  });

  it("answers a signed body that is not JSON with a readable 400", async () => {
    const response = await post("{not json", signed("{not json"));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/not valid JSON/);
  });

  it("refuses a body over the limit with a readable 413", async () => {
    const payload = "x".repeat(3 * 1024 * 1024 + 1);
    const response = await post(payload, signed(payload));
    expect(response.status).toBe(413);
    expect(JSON.stringify(await response.json())).toMatch(/larger than 3 MB/);
  });
});
