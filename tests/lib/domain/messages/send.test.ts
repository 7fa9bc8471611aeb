import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import {
  auditLog,
  conversations,
  messages,
  outbox,
  type Inbox,
  type Template,
  type User,
  consentEvents,
} from "@/lib/db/schema";
import { InvalidInputError, NotFoundError, PolicyBlockedError } from "@/lib/domain/errors";
import { markConversationRead, sendMessage, WINDOW_CLOSED_MESSAGE } from "@/lib/domain/messages";
import { createTemplate } from "@/lib/domain/templates";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createContact,
  createConversation,
  createInbox,
  createMessage,
  createUser,
  ctxFor,
} from "../../../support/factories";
import { fixtureJson } from "../../../support/whatsapp";
import { containing } from "../../../support/matchers";

const database = setupTestDatabase();
const now = new Date("2026-11-20T12:00:00.000Z");
const inAnHour = new Date(now.getTime() + 3600_000);
const anHourAgo = new Date(now.getTime() - 3600_000);

let support: Inbox;
let sales: Inbox;
let dana: User;
let outsider: User;
let admin: User;
let orderUpdate: Template;

beforeAll(async () => {
  const { db } = database().handle;
  support = await createInbox(db);
  sales = await createInbox(db);
  dana = await createUser(db, { name: "Dana" });
  outsider = await createUser(db, { name: "Olly" });
  admin = await createUser(db, { name: "Ada", role: "admin" });
  await addMember(db, support.id, dana.id);
  await addMember(db, sales.id, outsider.id);
  orderUpdate = await createTemplate({
    ctx: ctxFor(db, actorFor(admin), now),
    input: {
      inboxId: support.id,
      name: "order_update",
      language: "en_US",
      category: "utility",
      body: "Hello {{customer_name}}, your order {{order_number}} is on its way.",
    },
  });
});

let numbers = 0;

/** A conversation in Dana's inbox; Meta's samples write to +16505551234, so those get an inbox of their own. */
async function conversationWith(options: {
  windowExpiresAt: Date | null;
  waId?: string | null;
  waUserId?: string | null;
  sampleCustomer?: boolean;
}) {
  const { db } = database().handle;
  let inboxId = support.id;
  if (options.sampleCustomer) {
    inboxId = (await createInbox(db)).id;
    await addMember(db, inboxId, dana.id);
  }
  const contact = await createContact(db, inboxId, {
    waId: options.sampleCustomer
      ? "16505551234"
      : options.waId === undefined
        ? `1555123${String((numbers += 1)).padStart(4, "0")}`
        : options.waId,
    waUserId: options.waUserId ?? null,
  });
  return createConversation(db, inboxId, {
    contactId: contact.id,
    windowExpiresAt: options.windowExpiresAt,
    waitingSince: anHourAgo,
  });
}

async function rowsOf(conversationId: string) {
  const { db } = database().handle;
  const sent = await db.select().from(messages).where(eq(messages.conversationId, conversationId));
  const queued = await db.select().from(outbox).where(eq(outbox.conversationId, conversationId));
  return { sent, queued };
}

const as = (user: User) => ctxFor(database().handle.db, actorFor(user), now);

describe("sendMessage", () => {
  it("queues free text inside the 24-hour window with its outbox row, audit and conversation update", async () => {
    const conversation = await conversationWith({ windowExpiresAt: inAnHour, sampleCustomer: true });
    const message = await sendMessage({
      ctx: as(dana),
      input: { type: "text", conversationId: conversation.id, body: "Let me check that for you." },
    });
    expect(message).toMatchObject({
      direction: "outbound",
      authorKind: "agent",
      authorId: dana.id,
      type: "text",
      body: "Let me check that for you.",
      status: "queued",
      wamid: null,
      createdAt: now,
    });

    const { queued } = await rowsOf(conversation.id);
    expect(queued).toEqual([
      containing({
        kind: "send_message",
        messageId: message.id,
        status: "queued",
        nextAttemptAt: now,
        request: {
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: "+16505551234",
          type: "text",
          text: { body: "Let me check that for you." },
        },
      }),
    ]);
    const [after] = await database()
      .handle.db.select()
      .from(conversations)
      .where(eq(conversations.id, conversation.id));
    expect(after).toMatchObject({
      lastOutboundAt: now,
      lastMessageAt: now,
      lastMessagePreview: "Let me check that for you.",
      waitingSince: null,
    });
    const audit = await database().handle.db.select().from(auditLog).where(eq(auditLog.targetId, message.id));
    expect(audit).toEqual([containing({ action: "message.sent", actorId: dana.id })]);
  });

  it("builds a contextual reply exactly like Meta's documented request", async () => {
    const { db } = database().handle;
    const conversation = await conversationWith({ windowExpiresAt: inAnHour, sampleCustomer: true });
    const quoted = await createMessage(db, conversation, {
      wamid: "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTdCNTg5RjY1MEMyRjlGMjRGNgA=",
    });
    const message = await sendMessage({
      ctx: as(dana),
      input: {
        type: "text",
        conversationId: conversation.id,
        body: "You're welcome, Pablo!",
        replyToMessageId: quoted.id,
      },
    });
    expect(message.replyToWamid).toBe(quoted.wamid);
    const { queued } = await rowsOf(conversation.id);
    expect(queued[0]?.request).toEqual(fixtureJson("send_text_contextual_reply_request.json"));
  });

  it("asks for a link preview when the text has a link, like Meta's documented request", async () => {
    const conversation = await conversationWith({ windowExpiresAt: inAnHour, sampleCustomer: true });
    const body = "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/";
    await sendMessage({ ctx: as(dana), input: { type: "text", conversationId: conversation.id, body } });
    expect((await rowsOf(conversation.id)).queued[0]?.request).toEqual(
      fixtureJson("send_text_request_preview_url.json"),
    );
  });

  it("addresses a customer known only by user id with `recipient`", async () => {
    const conversation = await conversationWith({
      windowExpiresAt: inAnHour,
      waId: null,
      waUserId: "US.13491208655302741918",
    });
    await sendMessage({
      ctx: as(dana),
      input: { type: "text", conversationId: conversation.id, body: "Hi" },
    });
    expect((await rowsOf(conversation.id)).queued[0]?.request).toMatchObject({
      recipient: "US.13491208655302741918",
    });
    expect((await rowsOf(conversation.id)).queued[0]?.request).not.toHaveProperty("to");
  });

  it.each([
    ["closed an hour ago", anHourAgo],
    ["never opened", null],
  ])("refuses free text when the window %s, before writing anything", async (_label, windowExpiresAt) => {
    const conversation = await conversationWith({ windowExpiresAt });
    const attempt = sendMessage({
      ctx: as(dana),
      input: { type: "text", conversationId: conversation.id, body: "Hello?" },
    });
    await expect(attempt).rejects.toThrow(PolicyBlockedError);
    await expect(attempt).rejects.toThrow(WINDOW_CLOSED_MESSAGE);
    expect(await rowsOf(conversation.id)).toEqual({ sent: [], queued: [] });
  });

  it("refuses media outside the window too", async () => {
    const conversation = await conversationWith({ windowExpiresAt: anHourAgo });
    await expect(
      sendMessage({
        ctx: as(dana),
        input: { type: "image", conversationId: conversation.id, link: "https://example.com/a.jpg" },
      }),
    ).rejects.toThrow(WINDOW_CLOSED_MESSAGE);
  });

  it("refuses a template after the window closed to a customer with no opt-in on record", async () => {
    const conversation = await conversationWith({ windowExpiresAt: anHourAgo, waId: "16505550001" });
    await expect(
      sendMessage({
        ctx: as(dana),
        input: {
          type: "template",
          conversationId: conversation.id,
          templateId: orderUpdate.id,
          parameters: { customer_name: "Sheena", order_number: "#4821" },
        },
      }),
    ).rejects.toThrow(/has not opted in to messages/);
  });

  it("sends an approved template after the window closed, with named parameters", async () => {
    const conversation = await conversationWith({ windowExpiresAt: anHourAgo, waId: "16505550000" });
    await database().handle.db.insert(consentEvents).values({
      contactId: conversation.contactId,
      purpose: "service",
      action: "opt_in",
      source: "web_form",
      evidence: "Ticked 'Send me order updates on WhatsApp' at checkout.",
      occurredAt: anHourAgo,
    });
    const message = await sendMessage({
      ctx: as(dana),
      input: {
        type: "template",
        conversationId: conversation.id,
        templateId: orderUpdate.id,
        parameters: { customer_name: "Sheena", order_number: "#4821" },
      },
    });
    expect(message).toMatchObject({
      type: "template",
      body: "Hello Sheena, your order #4821 is on its way.",
      payload: { template: containing({ name: "order_update", language: "en_US" }) },
    });
    expect((await rowsOf(conversation.id)).queued[0]?.request).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+16505550000",
      type: "template",
      template: {
        name: "order_update",
        language: { code: "en_US" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", parameter_name: "customer_name", text: "Sheena" },
              { type: "text", parameter_name: "order_number", text: "#4821" },
            ],
          },
        ],
      },
    });
  });

  it("refuses a template that is not approved, unfilled, over-filled, or from another inbox", async () => {
    const { db } = database().handle;
    const conversation = await conversationWith({ windowExpiresAt: anHourAgo });
    const pending = await createTemplate({
      ctx: as(admin),
      input: {
        inboxId: support.id,
        name: "spring_sale",
        language: "en_US",
        category: "marketing",
        status: "pending",
        body: "Sale!",
      },
    });
    const foreign = await createTemplate({
      ctx: as(admin),
      input: { inboxId: sales.id, name: "order_update", language: "en_US", category: "utility", body: "Hi" },
    });
    const send = (templateId: string, parameters: Record<string, string> = {}) =>
      sendMessage({
        ctx: as(dana),
        input: { type: "template", conversationId: conversation.id, templateId, parameters },
      });

    await expect(send(pending.id)).rejects.toThrow(
      /"spring_sale" is pending; only templates WhatsApp approved/,
    );
    await expect(send(orderUpdate.id, { customer_name: "Sheena" })).rejects.toThrow(InvalidInputError);
    await expect(
      send(orderUpdate.id, { customer_name: "S", order_number: "1", coupon: "X" }),
    ).rejects.toThrow(/has no \{\{coupon\}\}/);
    await expect(send(foreign.id)).rejects.toThrow(NotFoundError);
    const [written] = await db
      .select({ n: count() })
      .from(messages)
      .where(eq(messages.conversationId, conversation.id));
    expect(written?.n).toBe(0);
  });

  it("treats another inbox's conversation as not found", async () => {
    const conversation = await conversationWith({ windowExpiresAt: inAnHour });
    await expect(
      sendMessage({
        ctx: as(outsider),
        input: { type: "text", conversationId: conversation.id, body: "Hi" },
      }),
    ).rejects.toThrow(NotFoundError);
    expect(await rowsOf(conversation.id)).toEqual({ sent: [], queued: [] });
  });

  it("refuses to quote a message from another conversation", async () => {
    const { db } = database().handle;
    const conversation = await conversationWith({ windowExpiresAt: inAnHour });
    const elsewhere = await createMessage(db, await conversationWith({ windowExpiresAt: inAnHour }));
    await expect(
      sendMessage({
        ctx: as(dana),
        input: { type: "text", conversationId: conversation.id, body: "Yes", replyToMessageId: elsewhere.id },
      }),
    ).rejects.toThrow(/cannot be replied to/);
  });

  it("refuses to message a customer whose data was erased", async () => {
    const { db } = database().handle;
    const contact = await createContact(db, support.id, { anonymizedAt: anHourAgo });
    const conversation = await createConversation(db, support.id, {
      contactId: contact.id,
      windowExpiresAt: inAnHour,
    });
    await expect(
      sendMessage({ ctx: as(dana), input: { type: "text", conversationId: conversation.id, body: "Hi" } }),
    ).rejects.toThrow(/erased/);
  });

  it("sends media by https link with its caption", async () => {
    const conversation = await conversationWith({ windowExpiresAt: inAnHour });
    const message = await sendMessage({
      ctx: as(dana),
      input: {
        type: "document",
        conversationId: conversation.id,
        link: "https://example.com/invoice.pdf",
        caption: "Your invoice",
        filename: "invoice.pdf",
      },
    });
    expect(message).toMatchObject({ type: "document", body: "Your invoice" });
    expect((await rowsOf(conversation.id)).queued[0]?.request).toMatchObject({
      type: "document",
      document: { link: "https://example.com/invoice.pdf", caption: "Your invoice", filename: "invoice.pdf" },
    });
  });

  it("refuses malformed input with a readable message", async () => {
    const conversation = await conversationWith({ windowExpiresAt: inAnHour });
    await expect(
      sendMessage({ ctx: as(dana), input: { type: "text", conversationId: conversation.id, body: "   " } }),
    ).rejects.toThrow(/body is required/);
    await expect(
      sendMessage({
        ctx: as(dana),
        input: { type: "image", conversationId: conversation.id, link: "http://example.com/a.jpg" },
      }),
    ).rejects.toThrow(ZodError);
    await expect(
      sendMessage({
        ctx: as(dana),
        input: { type: "sticker" as "image", conversationId: conversation.id, link: "https://x.y/z" },
      }),
    ).rejects.toThrow(/type must be text, template/);
  });
});

describe("markConversationRead", () => {
  it("treats another inbox's conversation as not found", async () => {
    const conversation = await conversationWith({ windowExpiresAt: inAnHour });
    await expect(
      markConversationRead({ ctx: as(outsider), input: { conversationId: conversation.id } }),
    ).rejects.toThrow(NotFoundError);
  });
});
