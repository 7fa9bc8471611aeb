import { describe, expect, it } from "vitest";
import { jsonDepth, storableJson } from "@/lib/whatsapp/json-safety";
import { planWebhook, previewOf, type PlannedMessage, type WebhookPlan } from "@/lib/whatsapp/webhook-plan";

function envelope(value: Record<string, unknown>, field = "messages") {
  return {
    object: "whatsapp_business_account",
    entry: [{ id: "1", changes: [{ field, value: { metadata: { phone_number_id: "555" }, ...value } }] }],
  };
}

function plan(body: unknown): WebhookPlan {
  const outcome = planWebhook(body);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.plan;
}

function planOne(message: Record<string, unknown>): PlannedMessage {
  const planned = plan(
    envelope({
      contacts: [{ profile: { name: "Sheena" }, wa_id: "16505551234" }],
      messages: [{ from: "16505551234", id: "wamid.1", timestamp: "1750000000", ...message }],
    }),
  ).changes[0]?.messages[0];
  if (!planned) throw new Error("nothing planned");
  return planned;
}

describe("planning incoming messages", () => {
  it("cuts a long preview at 200 characters without splitting an emoji", () => {
    const text = `${"a".repeat(199)}😀 and more`;
    const preview = planOne({ type: "text", text: { body: text } }).preview;
    expect(preview).toBe("a".repeat(199));
    expect(preview).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(previewOf(`${"b".repeat(198)}😀😀`)).toBe(`${"b".repeat(198)}😀`);
    expect(previewOf("short 😀")).toBe("short 😀");
  });

  it("reads a completed WhatsApp Flow (nfm_reply)", () => {
    expect(
      planOne({
        type: "interactive",
        interactive: {
          type: "nfm_reply",
          nfm_reply: { name: "flow", body: "Sent", response_json: '{"flow_token":"t","size":"M"}' },
        },
      }),
    ).toMatchObject({ type: "interactive", body: "Sent", preview: "📝 Form submitted" });
  });

  it("reads a reaction and its removal (an empty emoji)", () => {
    const reaction = { message_id: "wamid.original" };
    expect(planOne({ type: "reaction", reaction: { ...reaction, emoji: "❤️" } })).toMatchObject({
      body: "Reacted ❤️",
      replyToWamid: "wamid.original",
    });
    expect(planOne({ type: "reaction", reaction: { ...reaction, emoji: "" } })).toMatchObject({
      body: "Removed a reaction",
      replyToWamid: "wamid.original",
    });
  });

  it("reads an edit with its new text, and request_welcome", () => {
    expect(
      planOne({
        type: "edit",
        edit: {
          original_message_id: "wamid.original",
          message: { type: "text", text: { body: "fixed typo" } },
        },
      }),
    ).toMatchObject({ type: "edit", body: "Edited a message: fixed typo", replyToWamid: "wamid.original" });
    expect(planOne({ type: "request_welcome" })).toMatchObject({
      type: "request_welcome",
      fromCustomer: true,
    });
  });

  it("keeps forwarded context and ad referrals in the payload", () => {
    const forwarded = planOne({ type: "text", text: { body: "fwd" }, context: { forwarded: true } });
    expect(forwarded.replyToWamid).toBeNull();
    expect(forwarded.payload).toMatchObject({ context: { forwarded: true } });
  });

  it("falls back to arrival time for an unusable timestamp, and skips a message without sender or id", () => {
    expect(planOne({ type: "text", text: { body: "x" }, timestamp: "yesterday" }).sentAt).toBeUndefined();
    const skipped = plan(
      envelope({ messages: [{ id: "wamid.2", type: "text", text: { body: "x" } }, { type: "text" }] }),
    );
    expect(skipped.changes).toEqual([]);
    expect(skipped.notes).toHaveLength(2);
  });
});

describe("planning statuses", () => {
  it("records played as read, keeps the first error of a failure, and notes statuses it does not track", () => {
    const planned = plan(
      envelope({
        statuses: [
          { id: "wamid.a", status: "played", timestamp: "1750000000" },
          { id: "wamid.b", status: "failed", errors: [{ code: "131026", title: "Message undeliverable" }] },
          { id: "wamid.c", status: "deleted" },
        ],
      }),
    );
    expect(planned.changes[0]?.statuses).toEqual([
      {
        wamid: "wamid.a",
        status: "read",
        at: new Date(1_750_000_000_000),
        errorCode: undefined,
        errorTitle: undefined,
      },
      {
        wamid: "wamid.b",
        status: "failed",
        at: undefined,
        errorCode: 131026,
        errorTitle: "Message undeliverable",
      },
    ]);
    expect(planned.notes).toEqual(['Status "deleted" for wamid.c is not one Parley tracks; recorded only.']);
  });

  it("says a body is not a WhatsApp webhook when the envelope is wrong", () => {
    expect(planWebhook({ entry: 1 })).toMatchObject({ ok: false });
  });
});

describe("JSON safety", () => {
  it("measures nesting without being fooled by brackets inside strings", () => {
    expect(jsonDepth('{"a":[[1]],"b":"[[[[[["}')).toBe(3);
    expect(jsonDepth('{"a":"\\"[["}')).toBe(1);
  });

  it("cleans what PostgreSQL cannot store, keys included", () => {
    expect(storableJson({ "k\u0000": ["a\u0000b", "\ud800"] })).toEqual({ k: ["ab", "\uFFFD"] });
  });
});
