import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGraphClient,
  isTrustedMediaUrl,
  markReadRequest,
  mediaMessageRequest,
  textMessageRequest,
} from "@/lib/whatsapp/graph-client";
import { serveFetch, type TestServer } from "../../support/http-server";
import { fixture, fixtureJson } from "../../support/whatsapp";

/** A Graph API that answers each path with a canned body from Meta's documentation. */
let server: TestServer;
const seen: { method: string; path: string; headers: Headers; body: string }[] = [];
const answers: Record<string, () => Response> = {
  "/v23.0/111/messages": () => new Response(fixture("send_message_response_template.json"), { status: 200 }),
  "/v23.0/222/messages": () => new Response(fixture("send_message_response_to_bsuid.json"), { status: 200 }),
  "/v23.0/333/messages": () => new Response(fixture("graph_error_response_130429.json"), { status: 400 }),
  "/v23.0/444/messages": () => new Response(fixture("mark_as_read_response.json"), { status: 200 }),
  "/v23.0/555/messages": () => new Response("<html>oops</html>", { status: 200 }),
  "/v23.0/666/messages": () => new Response("Bad gateway", { status: 502 }),
  "/v23.0/111/media": () => new Response(fixture("media_upload_response.json"), { status: 200 }),
  "/v23.0/777/messages": () =>
    new Response(JSON.stringify({ error: { message: "Invalid parameter", code: 100 } }), { status: 400 }),
};

beforeAll(async () => {
  server = await serveFetch(async (request) => {
    const path = new URL(request.url).pathname;
    seen.push({ method: request.method, path, headers: request.headers, body: await request.text() });
    if (path === "/v23.0/slow/messages") {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    return answers[path]?.() ?? new Response("{}", { status: 404 });
  });
});
afterAll(() => server.close());

const client = (timeoutMs = 10_000) =>
  createGraphClient({ baseUrl: server.url, version: "v23.0", accessToken: "secret-token", timeoutMs });

describe("request bodies", () => {
  it("match Meta's documented mark-as-read and typing-indicator requests", () => {
    const wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA";
    expect(markReadRequest(wamid)).toEqual(fixtureJson("mark_as_read_request.json"));
    expect(markReadRequest(wamid, true)).toEqual(fixtureJson("typing_indicator_request.json"));
  });

  it("match Meta's documented text requests", () => {
    expect(
      textMessageRequest({
        to: { waId: "16505551234" },
        body: "You're welcome, Pablo!",
        replyToWamid: "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTdCNTg5RjY1MEMyRjlGMjRGNgA=",
      }),
    ).toEqual(fixtureJson("send_text_contextual_reply_request.json"));
    expect(
      textMessageRequest({
        to: { waId: "16505551234" },
        body: "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/",
      }),
    ).toEqual(fixtureJson("send_text_request_preview_url.json"));
  });

  it("put media by link under its type, without a caption for audio", () => {
    expect(
      mediaMessageRequest({
        to: { waId: "1" },
        type: "audio",
        media: { link: "https://x.example/a.ogg" },
        caption: "no",
      }),
    ).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+1",
      type: "audio",
      audio: { link: "https://x.example/a.ogg" },
    });
  });
});

describe("the Graph API client", () => {
  it("sends with the bearer token and the idempotency key, and reads the wamid from Meta's answer", async () => {
    const result = await client().sendMessage(
      "111",
      { messaging_product: "whatsapp" },
      { idempotencyKey: "row-1" },
    );
    expect(result).toEqual({
      ok: true,
      value: { wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBRkJENzExMTRFRjk2NTI1OTEA" },
    });
    const request = seen.find((entry) => entry.path === "/v23.0/111/messages");
    expect(request?.headers.get("authorization")).toBe("Bearer secret-token");
    expect(request?.headers.get("idempotency-key")).toBe("row-1");
    expect(request?.headers.get("content-type")).toBe("application/json");
  });

  it("reads the wamid of a send to a business-scoped user id", async () => {
    expect(await client().sendMessage("222", {})).toEqual({
      ok: true,
      value: { wamid: "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA" },
    });
  });

  it("reports 130429 as retryable, with Meta's message and details", async () => {
    expect(await client().sendMessage("333", {})).toEqual({
      ok: false,
      retryable: true,
      code: 130429,
      httpStatus: 400,
      title: "(#130429) Rate limit hit",
      detail: "Cloud API message throughput has been reached.",
    });
  });

  it("reports other 4xx errors as permanent and 5xx without a code as retryable", async () => {
    expect(await client().sendMessage("777", {})).toMatchObject({ ok: false, retryable: false, code: 100 });
    expect(await client().sendMessage("666", {})).toMatchObject({
      ok: false,
      retryable: true,
      httpStatus: 502,
    });
  });

  it("does not retry blindly when a 2xx answer is not understood (Meta may have sent it)", async () => {
    expect(await client().sendMessage("555", {})).toMatchObject({ ok: false, retryable: false });
  });

  it("gives up on a slow answer and on an unreachable server, as retryable", async () => {
    expect(await client(200).sendMessage("slow", {})).toMatchObject({
      ok: false,
      retryable: true,
      title: "WhatsApp did not answer within 200 ms.",
    });
    const offline = createGraphClient({ baseUrl: "http://127.0.0.1:1", version: "v23.0", accessToken: "t" });
    expect(await offline.sendMessage("1", {})).toMatchObject({
      ok: false,
      retryable: true,
      title: "Parley could not reach WhatsApp.",
    });
  });

  it("marks as read and uploads media", async () => {
    expect(await client().markRead("444", "wamid.x")).toEqual({ ok: true, value: null });
    expect(
      await client().uploadMedia("111", new Blob(["abc"]), { filename: "a.txt", mimeType: "text/plain" }),
    ).toEqual({ ok: true, value: { id: "1037543291543636" } });
  });

  it("refuses to run without an access token", async () => {
    const unconfigured = createGraphClient({ baseUrl: server.url, version: "v23.0", accessToken: undefined });
    expect(await unconfigured.sendMessage("111", {})).toMatchObject({
      ok: false,
      retryable: false,
      title: /not configured/,
    });
  });
});

describe("media URLs", () => {
  it("are trusted only on Meta's https hosts or the configured API's own origin", () => {
    const base = "http://localhost:3000";
    expect(isTrustedMediaUrl("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1", base)).toBe(
      true,
    );
    expect(isTrustedMediaUrl("http://localhost:3000/api/simulator/graph/media-download/1", base)).toBe(true);
    expect(isTrustedMediaUrl("http://lookaside.fbsbx.com/x", base)).toBe(false);
    expect(isTrustedMediaUrl("https://fbsbx.com.evil.example/x", base)).toBe(false);
    expect(isTrustedMediaUrl("https://user:pw@lookaside.fbsbx.com/x", base)).toBe(false);
    expect(isTrustedMediaUrl("http://localhost:3001/x", base)).toBe(false);
    expect(isTrustedMediaUrl("not a url", base)).toBe(false);
  });

  it("refuses credentials in the URL even on the configured API's own origin", () => {
    const base = "http://localhost:3000";
    expect(
      isTrustedMediaUrl("http://admin:pw@localhost:3000/api/simulator/graph/media-download/1", base),
    ).toBe(false);
    expect(isTrustedMediaUrl("http://admin@localhost:3000/x", base)).toBe(false);
  });

  it("marks an untrusted URL and a redirect as refused, without sending the token anywhere", async () => {
    const untrusted = await client().downloadMedia("http://127.0.0.1:1/x");
    expect(untrusted).toMatchObject({ ok: false, retryable: false, refused: true });
    const before = seen.length;
    answers["/moved"] = () =>
      new Response(null, { status: 302, headers: { location: "http://127.0.0.1:1/" } });
    const redirected = await client().downloadMedia(`${server.url}/moved`);
    expect(redirected).toMatchObject({ ok: false, retryable: false, refused: true, httpStatus: 302 });
    expect(seen.slice(before).map((request) => request.path)).toEqual(["/moved"]);
  });
});
