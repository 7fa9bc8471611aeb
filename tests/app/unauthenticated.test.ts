import { describe, expect, it } from "vitest";
import * as cannedReply from "@/app/api/v1/canned-replies/[id]/route";
import * as cannedReplies from "@/app/api/v1/canned-replies/route";
import * as assign from "@/app/api/v1/conversations/[id]/assign/route";
import * as label from "@/app/api/v1/conversations/[id]/labels/[labelId]/route";
import * as thread from "@/app/api/v1/conversations/[id]/messages/route";
import * as conversation from "@/app/api/v1/conversations/[id]/route";
import * as status from "@/app/api/v1/conversations/[id]/status/route";
import * as counts from "@/app/api/v1/conversations/counts/route";
import * as conversations from "@/app/api/v1/conversations/route";
import * as labels from "@/app/api/v1/labels/route";
import * as read from "@/app/api/v1/conversations/[id]/read/route";
import * as media from "@/app/api/v1/media/[messageId]/route";
import * as template from "@/app/api/v1/templates/[id]/route";
import * as templates from "@/app/api/v1/templates/route";
import * as templateSync from "@/app/api/v1/templates/sync/route";

const id = "00000000-0000-4000-8000-000000000000";
const params = { params: Promise.resolve({ id, labelId: id, messageId: id }) };
const json = (method: string) =>
  new Request("http://localhost/api/v1/x", {
    method,
    body: "{}",
    headers: { "content-type": "application/json" },
  });
const get = () => new Request("http://localhost/api/v1/x");

const calls: [string, () => Promise<Response>][] = [
  ["GET conversations", () => conversations.GET(get(), undefined)],
  ["GET conversations/counts", () => counts.GET(get(), undefined)],
  ["GET conversations/:id", () => conversation.GET(get(), params)],
  ["GET conversations/:id/messages", () => thread.GET(get(), params)],
  ["POST conversations/:id/assign", () => assign.POST(json("POST"), params)],
  ["POST conversations/:id/status", () => status.POST(json("POST"), params)],
  ["PUT conversations/:id/labels/:labelId", () => label.PUT(json("PUT"), params)],
  ["DELETE conversations/:id/labels/:labelId", () => label.DELETE(json("DELETE"), params)],
  ["GET labels", () => labels.GET(get(), undefined)],
  ["POST labels", () => labels.POST(json("POST"), undefined)],
  ["GET canned-replies", () => cannedReplies.GET(get(), undefined)],
  ["POST canned-replies", () => cannedReplies.POST(json("POST"), undefined)],
  ["PATCH canned-replies/:id", () => cannedReply.PATCH(json("PATCH"), params)],
  ["DELETE canned-replies/:id", () => cannedReply.DELETE(json("DELETE"), params)],
  ["POST conversations/:id/messages", () => thread.POST(json("POST"), params)],
  ["POST conversations/:id/read", () => read.POST(json("POST"), params)],
  ["GET media/:messageId", () => media.GET(get(), params)],
  ["GET templates", () => templates.GET(get(), undefined)],
  ["POST templates", () => templates.POST(json("POST"), undefined)],
  ["PATCH templates/:id", () => template.PATCH(json("PATCH"), params)],
  ["DELETE templates/:id", () => template.DELETE(json("DELETE"), params)],
  ["POST templates/sync", () => templateSync.POST(json("POST"), undefined)],
];

describe("the JSON API without credentials", () => {
  it.each(calls)("%s answers 401 with a readable error", async (_name, call) => {
    const response = await call();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "unauthenticated", message: "Sign-in is required." },
    });
  });
});
