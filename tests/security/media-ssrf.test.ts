/**
 * SSRF through media download: a Graph API (a real local HTTP server standing in for Meta, as
 * WHATSAPP_API_BASE_URL) answers media lookups with URLs aimed at internal services, other
 * schemes and look-alike hosts, or redirects a trusted download elsewhere. Each is fetched by an
 * agent through GET /api/v1/media/:messageId on a real HTTP server; each must be refused with a
 * readable 502 and no connection may reach the canary socket that stands for the internal target.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { setupTestDatabase } from "../support/db";
import { createConversation, createInbox, createMessage } from "../support/factories";
import { createAccount, sessionCookie } from "../support/auth";
import { serveFetch, type TestServer } from "../support/http-server";
import { loadApiRoutes, serveApi } from "./api-router";

/** A listening socket that records every connection made to it: the "internal service". */
interface Canary {
  port: number;
  connections: number;
  close(): Promise<void>;
}

async function listenCanary(): Promise<Canary> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const canary: Canary = {
    port: 0,
    connections: 0,
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
  const listen = (host: string, port: number) =>
    new Promise<Server | undefined>((resolve) => {
      const server = createServer((socket) => {
        canary.connections += 1;
        sockets.add(socket);
        // Answers like a service that would leak something if anyone read it.
        socket.end("HTTP/1.1 200 OK\r\ncontent-length: 15\r\n\r\nINTERNAL-SECRET");
      });
      server.once("error", () => resolve(undefined));
      server.listen(port, host, () => resolve(server));
    });
  const v4 = await listen("127.0.0.1", 0);
  if (!v4) throw new Error("cannot listen on 127.0.0.1");
  servers.push(v4);
  canary.port = (v4.address() as AddressInfo).port;
  // The same port on ::1 where the machine has IPv6, so [::1] attacks are recorded too.
  const v6 = await listen("::1", canary.port);
  if (v6) servers.push(v6);
  return canary;
}

const canary = await listenCanary();
const P = canary.port;

/** Media id → the download URL the "Graph API" answers with. Filled per attack below. */
const mediaUrls = new Map<string, string>();
const graphRequests: string[] = [];
const graph: TestServer = await serveFetch((request) => {
  const { pathname } = new URL(request.url);
  graphRequests.push(pathname);
  const redirect = /^\/redirect\/(\d{3})$/.exec(pathname);
  if (redirect?.[1]) {
    return Promise.resolve(
      new Response(null, { status: Number(redirect[1]), headers: { location: `http://127.0.0.1:${P}/` } }),
    );
  }
  if (pathname === "/file/ok") {
    return Promise.resolve(
      new Response(new Uint8Array([1, 2, 3]), { headers: { "content-type": "image/jpeg" } }),
    );
  }
  if (pathname === "/v23.0/lookup-redirects") {
    return Promise.resolve(
      new Response(null, { status: 302, headers: { location: `http://127.0.0.1:${P}/` } }),
    );
  }
  const url = mediaUrls.get(decodeURIComponent(pathname.replace(/^\/v23\.0\//, "")));
  if (url === undefined) return Promise.resolve(Response.json({ error: { code: 100 } }, { status: 404 }));
  return Promise.resolve(
    Response.json({ messaging_product: "whatsapp", url, mime_type: "image/jpeg", id: "x", file_size: 3 }),
  );
});

// Cloud mode against the stand-in: read once, lazily, by lib/env.ts on the first request.
process.env.WHATSAPP_MODE = "cloud";
process.env.WHATSAPP_ACCESS_TOKEN = "graph-token-that-must-not-leak";
process.env.WHATSAPP_APP_SECRET = "media-ssrf-app-secret";
process.env.WHATSAPP_VERIFY_TOKEN = "media-ssrf-verify-token";
process.env.WHATSAPP_API_BASE_URL = graph.url;
process.env.WHATSAPP_API_TIMEOUT_MS = "2000";

const G = graph.url;
const attacks: [string, string][] = [
  ["the loopback address (the canary)", `http://127.0.0.1:${P}/`],
  ["PostgreSQL on loopback", "http://127.0.0.1:5432/"],
  ["Redis on loopback", "http://127.0.0.1:6379/"],
  ["localhost", `http://localhost:${P}/`],
  ["IPv6 loopback [::1]", `http://[::1]:${P}/`],
  ["the cloud metadata address", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"],
  ["0.0.0.0", `http://0.0.0.0:${P}/`],
  ["a decimal IP (2130706433)", `http://2130706433:${P}/`],
  ["an octal IP (0177.0.0.1)", `http://0177.0.0.1:${P}/`],
  ["a hex IP (0x7f000001)", `http://0x7f000001:${P}/`],
  ["a mixed hex IP (0x7f.0.0.1)", `http://0x7f.0.0.1:${P}/`],
  ["a short IP (127.1)", `http://127.1:${P}/`],
  ["an IPv4-mapped IPv6 address", `http://[::ffff:127.0.0.1]:${P}/`],
  ["an IPv4-mapped IPv6 address in hex", `http://[::ffff:7f00:1]:${P}/`],
  ["https on loopback", `https://127.0.0.1:${P}/`],
  ["http:// on Meta's media host", "http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"],
  ["http:// on WhatsApp's media host", "http://mmg.whatsapp.net/v/t62/file.jpg"],
  ["a look-alike suffix host", "https://lookaside.fbsbx.com.evil.test/x"],
  ["a look-alike host without the dot", "https://evilfbsbx.com/x"],
  ["Meta's host only in the fragment", "https://evil.test#lookaside.fbsbx.com"],
  ["Meta's host as the user name", `https://lookaside.fbsbx.com@127.0.0.1:${P}/`],
  ["Meta's host as user and password", `https://lookaside.fbsbx.com:443@127.0.0.1:${P}/`],
  ["a backslash before Meta's host", "https://evil.test\\@lookaside.fbsbx.com/x"],
  ["credentials on the Graph API's own origin", `${G.replace("http://", "http://admin:pw@")}/file/ok`],
  ["a protocol-relative URL", `//127.0.0.1:${P}/`],
  ["a relative path", "/etc/passwd"],
  ["file:", "file:///etc/passwd"],
  ["data:", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="],
  ["gopher: to Redis", "gopher://127.0.0.1:6379/_FLUSHALL%0D%0A"],
  ["ftp:", `ftp://127.0.0.1:${P}/`],
  ["javascript:", "javascript:alert(document.domain)"],
];
const redirects = [301, 302, 303, 307, 308];

const database = setupTestDatabase();
let api: TestServer;
let cookie: string;
const messageIds = new Map<string, string>();

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  const { db } = database().handle;
  const inbox = await createInbox(db, { name: "Media" });
  const agent = await createAccount(db, { role: "agent", inboxIds: [inbox.id] });
  cookie = await sessionCookie(agent);
  const conversation = await createConversation(db, inbox.id);
  const mediaIds = [
    "control",
    "lookup-redirects",
    ...attacks.map((_, index) => `attack-${index}`),
    ...redirects.map((status) => `redirect-${status}`),
  ];
  mediaUrls.set("control", `${G}/file/ok`);
  attacks.forEach(([, url], index) => mediaUrls.set(`attack-${index}`, url));
  redirects.forEach((status) => mediaUrls.set(`redirect-${status}`, `${G}/redirect/${status}`));
  for (const mediaId of mediaIds) {
    const message = await createMessage(db, conversation, {
      type: "image",
      body: null,
      payload: { type: "image", image: { id: mediaId, mime_type: "image/jpeg" } },
    });
    messageIds.set(mediaId, message.id);
  }
  api = await serveApi((await loadApiRoutes()).filter((route) => route.pattern === "media/[messageId]"));

  // The control: a trusted URL is fetched, so a refusal below is the guard's doing, not a broken setup.
  const control = await fetchMedia("control");
  if (control.status !== 200 || (await control.arrayBuffer()).byteLength !== 3) {
    throw new Error(`the control download failed with ${control.status}`);
  }
});
afterAll(async () => {
  await api.close();
  await graph.close();
  await canary.close();
  clearDatabaseHandle();
});

function fetchMedia(mediaId: string): Promise<Response> {
  return fetch(`${api.url}/api/v1/media/${messageIds.get(mediaId) ?? "missing"}`, { headers: { cookie } });
}

/** Refused with a readable JSON error, nothing streamed, and the canary never touched. */
async function expectRefused(mediaId: string) {
  const before = canary.connections;
  const response = await fetchMedia(mediaId);
  const text = await response.text();
  expect(response.status, text).toBeGreaterThanOrEqual(400);
  expect(response.status, text).toBeLessThan(503);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.message).toMatch(/does not trust|could not provide/);
  expect(text).not.toContain("INTERNAL-SECRET");
  // A connection attempt that slipped through would have landed by now.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(canary.connections - before).toBe(0);
  return body;
}

describe("media URLs Parley must not fetch", () => {
  attacks.forEach(([name], index) => {
    it(`refuses a media URL aimed at ${name}`, async () => {
      const body = await expectRefused(`attack-${index}`);
      expect(body.error.message).toMatch(/does not trust/);
    });
  });
});

describe("redirects away from a trusted download", () => {
  for (const status of redirects) {
    it(`does not follow a ${status} from a trusted media URL to an internal address`, async () => {
      const before = graphRequests.filter((p) => p === `/redirect/${status}`).length;
      const body = await expectRefused(`redirect-${status}`);
      expect(body.error.message).toMatch(/does not trust/);
      // The trusted URL itself was asked once; its Location was not.
      expect(graphRequests.filter((p) => p === `/redirect/${status}`).length - before).toBe(1);
    });
  }

  it("does not follow a redirect from the Graph media lookup itself", async () => {
    await expectRefused("lookup-redirects");
  });
});
