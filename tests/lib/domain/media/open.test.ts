import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Conversation, Inbox, User } from "@/lib/db/schema";
import { NotFoundError, PayloadTooLargeError, UpstreamError } from "@/lib/domain/errors";
import { openMessageMedia } from "@/lib/domain/media";
import { createGraphClient, type GraphClient } from "@/lib/whatsapp/graph-client";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createConversation,
  createInbox,
  createMessage,
  createUser,
  ctxFor,
} from "../../../support/factories";
import { serveFetch, type TestServer } from "../../../support/http-server";

/**
 * A Graph API that misbehaves on purpose, one media id per trick: the simulator answers like Meta,
 * this one answers like something that must not be trusted.
 */
const database = setupTestDatabase();
let graphServer: TestServer;
let graph: GraphClient;
let inbox: Inbox;
let agent: User;
let outsider: User;
let conversation: Conversation;
const bytes = new Uint8Array(5_000).fill(7);

beforeAll(async () => {
  const { db } = database().handle;
  inbox = await createInbox(db);
  agent = await createUser(db);
  outsider = await createUser(db);
  await addMember(db, inbox.id, agent.id);
  conversation = await createConversation(db, inbox.id);
  graphServer = await serveFetch((request) => Promise.resolve(answer(request)));
  graph = createGraphClient({ baseUrl: graphServer.url, version: "v23.0", accessToken: "t" });
});
afterAll(() => graphServer.close());

function answer(request: Request): Response {
  {
    const { pathname } = new URL(request.url);
    const info = (url: string, extra: Record<string, unknown> = {}) =>
      Response.json({ messaging_product: "whatsapp", url, mime_type: "image/jpeg", id: "x", ...extra });
    switch (pathname) {
      case "/v23.0/ok":
        return info(`${graphServer.url}/file/ok`);
      case "/v23.0/html":
        return info(`${graphServer.url}/file/html`, { mime_type: "text/html" });
      case "/v23.0/untrusted":
        return info("http://169.254.169.254/latest/meta-data");
      case "/v23.0/redirect":
        return info(`${graphServer.url}/file/redirect`);
      case "/v23.0/huge":
        return info(`${graphServer.url}/file/ok`, { file_size: 10 ** 12 });
      case "/v23.0/unbounded":
        return info(`${graphServer.url}/file/unbounded`);
      case "/v23.0/down":
        return new Response("oops", { status: 503 });
      case "/file/ok":
      case "/file/html":
        return new Response(bytes, { headers: { "content-length": String(bytes.byteLength) } });
      case "/file/redirect":
        return new Response(null, { status: 302, headers: { location: "https://evil.example/steal" } });
      case "/file/unbounded":
        return new Response(
          new ReadableStream({
            start(controller) {
              for (let i = 0; i < 10; i += 1) controller.enqueue(bytes);
              controller.close();
            },
          }),
        );
      default:
        return Response.json({ error: { message: "Unsupported get request", code: 100 } }, { status: 400 });
    }
  }
}

async function imageMessage(mediaId: string, type = "image", extra: Record<string, unknown> = {}) {
  return createMessage(database().handle.db, conversation, {
    type,
    body: null,
    payload: { type, [type]: { id: mediaId, mime_type: "image/jpeg", ...extra } },
  });
}

const open = (messageId: string, user: User = agent, maxBytes?: number) =>
  openMessageMedia({
    ctx: ctxFor(database().handle.db, actorFor(user)),
    input: { messageId },
    graph,
    maxBytes,
  });

describe("openMessageMedia", () => {
  it("streams the file from the URL the Graph API returned, inline for a photo", async () => {
    const media = await open((await imageMessage("ok")).id);
    if (media.kind !== "stream") throw new Error("expected a stream");
    expect(media).toMatchObject({ contentType: "image/jpeg", disposition: "inline", contentLength: 5_000 });
    expect(new Uint8Array(await new Response(media.body).arrayBuffer())).toEqual(bytes);
  });

  it("offers anything a browser could run (HTML, documents) as a download", async () => {
    const html = await open((await imageMessage("html")).id);
    expect(html).toMatchObject({ kind: "stream", contentType: "text/html", disposition: "attachment" });
    const document = await open((await imageMessage("ok", "document", { filename: "invoice.pdf" })).id);
    expect(document).toMatchObject({ disposition: "attachment", filename: "invoice.pdf" });
  });

  it("never fetches a URL off Meta's hosts or follows a redirect", async () => {
    await expect(open((await imageMessage("untrusted")).id)).rejects.toThrow(/does not trust/);
    await expect(open((await imageMessage("redirect")).id)).rejects.toThrow(/does not trust/);
  });

  it("refuses files over the limit, declared or streamed", async () => {
    await expect(open((await imageMessage("huge")).id)).rejects.toThrow(PayloadTooLargeError);
    await expect(open((await imageMessage("ok")).id, agent, 1_000)).rejects.toThrow(PayloadTooLargeError);
    const streamed = await open((await imageMessage("unbounded")).id, agent, 20_000);
    if (streamed.kind !== "stream") throw new Error("expected a stream");
    await expect(new Response(streamed.body).arrayBuffer()).rejects.toThrow();
  });

  it("says the media expired when WhatsApp no longer knows it, and is unavailable when WhatsApp is down", async () => {
    await expect(open((await imageMessage("expired-long-ago")).id)).rejects.toThrow(/expires after 7 days/);
    await expect(open((await imageMessage("down")).id)).rejects.toThrow(UpstreamError);
  });

  it("sends the browser to a link the business sent media by", async () => {
    const message = await createMessage(database().handle.db, conversation, {
      direction: "outbound",
      authorKind: "agent",
      type: "image",
      payload: { image: { link: "https://cdn.example.com/catalog.jpg" } },
    });
    expect(await open(message.id)).toEqual({ kind: "redirect", url: "https://cdn.example.com/catalog.jpg" });
  });

  it("treats another inbox's message, and a message without media, as not found", async () => {
    const message = await imageMessage("ok");
    await expect(open(message.id, outsider)).rejects.toThrow(NotFoundError);
    const text = await createMessage(database().handle.db, conversation, { type: "text", body: "hi" });
    await expect(open(text.id)).rejects.toThrow(/has no media/);
  });
});
