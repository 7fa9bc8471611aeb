import { count, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/whatsapp/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { contacts, conversations, messages, templates, webhookEvents, type Inbox } from "@/lib/db/schema";
import { rooms } from "@/lib/realtime/events";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { signWebhookBody } from "@/lib/whatsapp/signature";
import { setupTestDatabase } from "../../support/db";
import { createConversation, createInbox, createMessage } from "../../support/factories";
import { listenToRoom, type SocketListener } from "../../support/socket-listener";
import { getWebhook, postWebhook, statusWebhook, textWebhook } from "../../support/whatsapp";
import { containing, matching } from "../../support/matchers";

const database = setupTestDatabase();
let inbox: Inbox;
let phone = 0;
/** A fresh customer number per test, so tests never share a contact. */
const nextCustomer = () => `1555700${String((phone += 1)).padStart(4, "0")}`;
let wamidCounter = 0;
const nextWamid = () => `wamid.test-${(wamidCounter += 1)}-${Math.random().toString(36).slice(2)}`;

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  inbox = await createInbox(database().handle.db, { phoneNumberId: "555000111", wabaId: "waba-1" });
});
afterAll(() => clearDatabaseHandle());

const text = (input: { wamid?: string; from: string; body?: string; name?: string; timestamp?: number }) =>
  textWebhook({
    phoneNumberId: inbox.phoneNumberId,
    wamid: input.wamid ?? nextWamid(),
    from: input.from,
    body: input.body ?? "Hello",
    name: input.name,
    timestamp: input.timestamp,
  });

async function eventCount() {
  const [row] = await database().handle.db.select({ n: count() }).from(webhookEvents);
  return row?.n ?? 0;
}

async function lastEvent() {
  const [row] = await database()
    .handle.db.select()
    .from(webhookEvents)
    .orderBy(desc(webhookEvents.id))
    .limit(1);
  return row;
}

async function messagesFrom(waId: string) {
  const { db } = database().handle;
  return db
    .select({ message: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(contacts.waId, waId))
    .then((rows) => rows.map((row) => row.message));
}

async function conversationOf(waId: string) {
  const { db } = database().handle;
  const rows = await db
    .select({ conversation: conversations })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(contacts.waId, waId));
  return rows.map((row) => row.conversation);
}

describe("the verification handshake", () => {
  it("answers the challenge as plain text when the verify token matches", async () => {
    const token = encodeURIComponent(whatsappConfig().verifyToken);
    const response = getWebhook(`hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("1158201444");
  });

  it("refuses a wrong token, a wrong mode and a missing token with 403", () => {
    const token = encodeURIComponent(whatsappConfig().verifyToken);
    expect(getWebhook("hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1").status).toBe(403);
    expect(getWebhook(`hub.mode=unsubscribe&hub.verify_token=${token}&hub.challenge=1`).status).toBe(403);
    expect(getWebhook("hub.mode=subscribe&hub.challenge=1").status).toBe(403);
  });
});

describe("signatures", () => {
  it("refuses a body without X-Hub-Signature-256 with 401 and stores nothing", async () => {
    const before = await eventCount();
    const response = await postWebhook(text({ from: nextCustomer() }), { signature: null });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
    expect(await eventCount()).toBe(before);
  });

  it("refuses a signature made with another secret, over other bytes, or in another format", async () => {
    const before = await eventCount();
    const body = text({ from: nextCustomer() });
    const attempts = [
      signWebhookBody(body, "not-the-app-secret"),
      signWebhookBody(`${body} `, whatsappConfig().appSecret),
      signWebhookBody(body, whatsappConfig().appSecret).replace("sha256=", "sha1="),
      "sha256=",
      `sha256=${"z".repeat(64)}`,
      signWebhookBody(body, whatsappConfig().appSecret).slice(0, 40),
    ];
    for (const signature of attempts) {
      expect((await postWebhook(body, { signature })).status).toBe(401);
    }
    expect(await eventCount()).toBe(before);
  });

  it("verifies the raw bytes: non-ASCII sent escaped as \\uXXXX is hashed as sent", async () => {
    const waId = nextCustomer();
    // Meta escapes non-ASCII; re-serializing the parsed body would produce different bytes.
    const body = text({ from: waId, body: "BODY" }).replace("BODY", "Ol\\u00e1, \\u00e7a va? \\ud83d\\ude00");
    expect((await postWebhook(body)).status).toBe(200);
    expect((await messagesFrom(waId))[0]?.body).toBe("Olá, ça va? 😀");
    expect((await lastEvent())?.rawBody).toBe(body);
  });
});

describe("bodies that are not what Meta sends", () => {
  it("answers 400 to a well-signed body that is not JSON, storing nothing", async () => {
    const before = await eventCount();
    const response = await postWebhook("{not json");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_input" } });
    expect(await eventCount()).toBe(before);
  });

  it("answers 413 to a body over 3 MB by its Content-Length, before reading it", async () => {
    const before = await eventCount();
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [],
      pad: "x".repeat(3 * 1024 * 1024),
    });
    const response = await postWebhook(body);
    expect(response.status).toBe(413);
    expect(await eventCount()).toBe(before);
  });

  it("answers 413 to a streamed body over 3 MB that declares no length", async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 16) controller.close();
        else {
          sent += 1;
          controller.enqueue(chunk);
        }
      },
    });
    const request = new Request("http://localhost/api/webhooks/whatsapp", {
      method: "POST",
      headers: { "x-hub-signature-256": "sha256=" + "0".repeat(64) },
      body: stream,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    expect(request.headers.get("content-length")).toBeNull();
    expect((await POST(request, undefined)).status).toBe(413);
  });

  it.each([
    ["an array", "[]"],
    ["a string", '"hello"'],
    ["a number", "42"],
    ["null", "null"],
    ["entry of the wrong type", '{"object":"whatsapp_business_account","entry":"x"}'],
    [
      "metadata of the wrong type",
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":{"a":1}},"messages":"x"}}]}]}',
    ],
    [
      "messages that are not objects",
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"555000111"},"messages":[1,"two",null,[]],"statuses":[{"id":5}]}}]}]}',
    ],
  ])("stores %s and acknowledges it with 200 (never a 4xx/5xx Meta would retry)", async (_label, body) => {
    const response = await postWebhook(body);
    expect(response.status).toBe(200);
    const event = await lastEvent();
    expect(event?.rawBody).toBe(body);
    expect(event?.processedAt).not.toBeNull();
    expect(`${event?.error ?? ""} ${(event?.notes ?? []).join(" ")}`.trim()).not.toBe("");
  });

  it("stores a deeply nested body unprocessed and acknowledges it", async () => {
    const depth = 100_000;
    const body = `{"object":"whatsapp_business_account","entry":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const response = await postWebhook(body);
    expect(response.status).toBe(200);
    const event = await lastEvent();
    expect(event?.rawBody.length).toBe(body.length);
    expect(event?.error).toMatch(/nested deeper than 64 levels/);
  });

  it("stores text with NUL characters and lone surrogates, which PostgreSQL would refuse, cleaned", async () => {
    const waId = nextCustomer();
    const body = text({ from: waId, body: "BODY" }).replace("BODY", "a\\u0000b \\ud800 c");
    expect((await postWebhook(body)).status).toBe(200);
    const [message] = await messagesFrom(waId);
    expect(message?.body).toBe("ab \uFFFD c");
    expect((await lastEvent())?.rawBody).toBe(body);
  });

  it("keeps a __proto__ key as data", async () => {
    const waId = nextCustomer();
    const wamid = nextWamid();
    const body = text({ from: waId, wamid }).replace(
      '"type":"text"',
      '"__proto__":{"polluted":true},"type":"text"',
    );
    expect((await postWebhook(body)).status).toBe(200);
    const [message] = await messagesFrom(waId);
    expect(Object.getOwnPropertyDescriptor(message?.payload ?? {}, "__proto__")?.value).toEqual({
      polluted: true,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("stores a message of an unknown type as unsupported, keeping its raw payload", async () => {
    const waId = nextCustomer();
    const body = text({ from: waId })
      .replace('"type":"text"', '"type":"poll"')
      .replace('"text":{"body":"Hello"}', '"poll":{"question":"Lunch?"}');
    expect((await postWebhook(body)).status).toBe(200);
    const [message] = await messagesFrom(waId);
    expect(message).toMatchObject({
      type: "unsupported",
      body: null,
      payload: containing({ type: "poll", poll: { question: "Lunch?" } }),
    });
    expect((await lastEvent())?.notes).toEqual([matching(/unknown type \(poll\)/)]);
  });

  it("stores a known type with the wrong shape as unsupported", async () => {
    const waId = nextCustomer();
    const body = text({ from: waId }).replace('"text":{"body":"Hello"}', '"text":{"body":42}');
    expect((await postWebhook(body)).status).toBe(200);
    expect((await messagesFrom(waId))[0]).toMatchObject({ type: "unsupported" });
  });

  it("records and acknowledges a number Parley has no inbox for", async () => {
    const body = textWebhook({
      phoneNumberId: "999999999",
      wamid: nextWamid(),
      from: nextCustomer(),
      body: "Hi",
    });
    expect((await postWebhook(body)).status).toBe(200);
    expect((await lastEvent())?.notes).toEqual([
      "No inbox has phone_number_id 999999999: 1 message(s) and 0 status(es) not stored.",
    ]);
  });

  it("records and acknowledges a field Parley does not act on", async () => {
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "waba-1", changes: [{ field: "account_update", value: { event: "VERIFIED_ACCOUNT" } }] }],
    });
    expect((await postWebhook(body)).status).toBe(200);
    expect((await lastEvent())?.notes).toEqual([
      'Field "account_update" recorded; Parley does not act on it.',
    ]);
  });
});

describe("exactly once", () => {
  let listener: SocketListener;
  beforeAll(async () => {
    listener = await listenToRoom(rooms.inbox(inbox.id));
  });
  afterAll(async () => {
    await listener.close();
  });

  const createdFor = (wamid: string) =>
    listener.events.filter(
      (event) => event.name === "message.created" && (event.payload as { wamid?: string }).wamid === wamid,
    );

  it("stores a message delivered twice once, and announces it once", async () => {
    const waId = nextCustomer();
    const wamid = nextWamid();
    const body = text({ from: waId, wamid });
    expect((await postWebhook(body)).status).toBe(200);
    expect((await postWebhook(body)).status).toBe(200);
    // A later message is the sentinel: socket events arrive in order, so a duplicate would be here by now.
    const sentinel = nextWamid();
    await postWebhook(text({ from: waId, wamid: sentinel }));
    await listener.waitFor((event) => (event.payload as { wamid?: string }).wamid === sentinel);

    expect(await messagesFrom(waId)).toHaveLength(2);
    expect(createdFor(wamid)).toHaveLength(1);
    expect((await conversationOf(waId))[0]?.unreadCount).toBe(2);
  });

  it("stores a message delivered many times at once exactly once", async () => {
    const waId = nextCustomer();
    const wamid = nextWamid();
    const body = text({ from: waId, wamid });
    const responses = await Promise.all(Array.from({ length: 6 }, () => postWebhook(body)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const sentinel = nextWamid();
    await postWebhook(text({ from: waId, wamid: sentinel }));
    await listener.waitFor((event) => (event.payload as { wamid?: string }).wamid === sentinel);

    expect(await messagesFrom(waId)).toHaveLength(2);
    expect(createdFor(wamid)).toHaveLength(1);
    const [contactCount] = await database()
      .handle.db.select({ n: count() })
      .from(contacts)
      .where(eq(contacts.waId, waId));
    expect(contactCount?.n).toBe(1);
    expect(await conversationOf(waId)).toHaveLength(1);
    expect((await conversationOf(waId))[0]?.unreadCount).toBe(2);
  });

  it("gives a new customer's simultaneous first messages one contact and one conversation", async () => {
    const waId = nextCustomer();
    const bodies = Array.from({ length: 5 }, (_, index) => text({ from: waId, body: `Message ${index}` }));
    const responses = await Promise.all(bodies.map((body) => postWebhook(body)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(await messagesFrom(waId)).toHaveLength(5);
    const open = await conversationOf(waId);
    expect(open).toHaveLength(1);
    expect(open[0]?.unreadCount).toBe(5);
  });
});

describe("batches", () => {
  it("stores every entry, change, message and status of one delivery", async () => {
    const first = nextCustomer();
    const second = nextCustomer();
    const conversation = await createConversation(database().handle.db, inbox.id);
    const sent = await createMessage(database().handle.db, conversation, {
      direction: "outbound",
      authorKind: "agent",
      status: "sent",
      wamid: nextWamid(),
    });
    const change = (from: string, ids: string[]) => ({
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata: { display_phone_number: "1555", phone_number_id: inbox.phoneNumberId },
        contacts: [{ profile: { name: `Customer ${from}` }, wa_id: from }],
        messages: ids.map((id, index) => ({
          from,
          id,
          timestamp: String(1_750_000_000 + index),
          type: "text",
          text: { body: `Body ${id}` },
        })),
      },
    });
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        { id: "waba-1", changes: [change(first, [nextWamid(), nextWamid()]), change(second, [nextWamid()])] },
        {
          id: "waba-1",
          changes: [
            change(first, [nextWamid()]),
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "1555", phone_number_id: inbox.phoneNumberId },
                statuses: [
                  { id: sent.wamid, status: "delivered", timestamp: "1750000000", recipient_id: first },
                ],
              },
            },
          ],
        },
      ],
    });
    expect((await postWebhook(body)).status).toBe(200);
    expect(await messagesFrom(first)).toHaveLength(3);
    expect(await messagesFrom(second)).toHaveLength(1);
    const [moved] = await database().handle.db.select().from(messages).where(eq(messages.id, sent.id));
    expect(moved?.status).toBe("delivered");
  });
});

describe("conversation bookkeeping", () => {
  it("keeps the newest preview and activity when an older message arrives late", async () => {
    const waId = nextCustomer();
    await postWebhook(text({ from: waId, body: "newer", timestamp: 1_750_000_100 }));
    await postWebhook(text({ from: waId, body: "older", timestamp: 1_750_000_000 }));
    const [conversation] = await conversationOf(waId);
    expect(conversation).toMatchObject({
      lastMessagePreview: "newer",
      lastMessageAt: new Date(1_750_000_100_000),
      lastInboundAt: new Date(1_750_000_100_000),
      windowExpiresAt: new Date(1_750_000_100_000 + 24 * 3600_000),
      waitingSince: new Date(1_750_000_000_000),
    });
  });

  it("never lets a timestamp from the future extend the window past now + 24 h", async () => {
    const waId = nextCustomer();
    const before = Date.now();
    await postWebhook(text({ from: waId, timestamp: Math.floor(before / 1000) + 30 * 24 * 3600 }));
    const [conversation] = await conversationOf(waId);
    expect(conversation?.windowExpiresAt?.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
  });

  it("opens a new conversation when the customer's last one was resolved, and reopens a pending one", async () => {
    const waId = nextCustomer();
    await postWebhook(text({ from: waId }));
    const [first] = await conversationOf(waId);
    const { db } = database().handle;
    await db
      .update(conversations)
      .set({ status: "resolved" })
      .where(eq(conversations.id, first?.id ?? ""));
    await postWebhook(text({ from: waId }));
    const after = await conversationOf(waId);
    expect(after).toHaveLength(2);
    const fresh = after.find((row) => row.id !== first?.id);
    expect(fresh?.status).toBe("open");

    await db
      .update(conversations)
      .set({ status: "pending" })
      .where(eq(conversations.id, fresh?.id ?? ""));
    await postWebhook(text({ from: waId }));
    const [reopened] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, fresh?.id ?? ""));
    expect(reopened?.status).toBe("open");
  });

  it("updates the profile name and fills in the phone number of a customer first known by user id", async () => {
    const userId = `US.${Date.now()}`;
    const wamid = nextWamid();
    const waId = nextCustomer();
    const message = (id: string, name: string, withWaId: boolean) =>
      JSON.stringify({
        object: "whatsapp_business_account",
        entry: [
          {
            id: "waba-1",
            changes: [
              {
                field: "messages",
                value: {
                  metadata: { phone_number_id: inbox.phoneNumberId },
                  contacts: [{ profile: { name }, user_id: userId, ...(withWaId ? { wa_id: waId } : {}) }],
                  messages: [
                    {
                      ...(withWaId ? { from: waId } : {}),
                      from_user_id: userId,
                      id,
                      timestamp: "1750000000",
                      type: "text",
                      text: { body: "hi" },
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
    await postWebhook(message(wamid, "Pablo", false));
    await postWebhook(message(nextWamid(), "Pablo M.", true));
    const rows = await database().handle.db.select().from(contacts).where(eq(contacts.waUserId, userId));
    expect(rows).toEqual([containing({ waId, profileName: "Pablo M.", phone: `+${waId}` })]);
    expect(await messagesFrom(waId)).toHaveLength(2);
  });
});

describe("statuses", () => {
  async function outbound(status: "queued" | "sent" | "delivered" = "sent") {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id, {
      windowExpiresAt: new Date(Date.now() + 3600_000),
    });
    const message = await createMessage(db, conversation, {
      direction: "outbound",
      authorKind: "agent",
      status,
      wamid: nextWamid(),
    });
    return { conversation, message, wamid: message.wamid ?? "" };
  }

  const post = (statuses: { wamid: string; status: string; timestamp?: number; errors?: unknown[] }[]) =>
    postWebhook(statusWebhook({ phoneNumberId: inbox.phoneNumberId, statuses }));

  async function current(id: string) {
    const [row] = await database().handle.db.select().from(messages).where(eq(messages.id, id));
    return row;
  }

  it("keeps read when a late delivered arrives, in separate deliveries or one batch", async () => {
    const one = await outbound();
    await post([{ wamid: one.wamid, status: "read" }]);
    await post([{ wamid: one.wamid, status: "delivered" }]);
    expect((await current(one.message.id))?.status).toBe("read");

    const two = await outbound();
    await post([
      { wamid: two.wamid, status: "read" },
      { wamid: two.wamid, status: "delivered" },
      { wamid: two.wamid, status: "sent" },
    ]);
    expect((await current(two.message.id))?.status).toBe("read");
  });

  it("counts a played voice message as read", async () => {
    const { message, wamid } = await outbound();
    await post([{ wamid, status: "played" }]);
    expect((await current(message.id))?.status).toBe("read");
  });

  it("keeps failed final with its code and title, whatever arrives after", async () => {
    const { message, wamid } = await outbound();
    await post([
      {
        wamid,
        status: "failed",
        errors: [{ code: 131026, title: "Message undeliverable", message: "Message undeliverable" }],
      },
    ]);
    await post([
      { wamid, status: "delivered" },
      { wamid, status: "read" },
    ]);
    expect(await current(message.id)).toMatchObject({
      status: "failed",
      errorCode: 131026,
      errorTitle: "Message undeliverable",
      failureReason: matching(/could not deliver/),
    });
  });

  it("does not let a failure replace a read message", async () => {
    const { message, wamid } = await outbound();
    await post([{ wamid, status: "read" }]);
    await post([{ wamid, status: "failed", errors: [{ code: 131000, title: "Something went wrong" }] }]);
    expect((await current(message.id))?.status).toBe("read");
  });

  it("closes the window when WhatsApp says it is closed (131047), whatever our clock says", async () => {
    const { conversation, message, wamid } = await outbound();
    const before = Date.now();
    await post([{ wamid, status: "failed", errors: [{ code: 131047, title: "Re-engagement message" }] }]);
    expect((await current(message.id))?.failureReason).toBe(
      "The 24-hour window has closed; send an approved template.",
    );
    const [row] = await database()
      .handle.db.select()
      .from(conversations)
      .where(eq(conversations.id, conversation.id));
    expect(row?.windowExpiresAt?.getTime()).toBeGreaterThanOrEqual(before);
    expect(row?.windowExpiresAt?.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("announces a status change once, and an unchanged status not at all", async () => {
    const listener = await listenToRoom(rooms.inbox(inbox.id));
    try {
      const { message, wamid } = await outbound();
      await post([{ wamid, status: "delivered" }]);
      await post([{ wamid, status: "delivered" }]);
      await post([{ wamid, status: "sent" }]);
      await post([{ wamid, status: "read" }]);
      await listener.waitFor(
        (event) => event.name === "message.status" && (event.payload as { status: string }).status === "read",
      );
      const statuses = listener.events
        .filter((event) => event.name === "message.status")
        .map((event) => event.payload as { messageId: string; status: string })
        .filter((event) => event.messageId === message.id)
        .map((event) => event.status);
      expect(statuses).toEqual(["delivered", "read"]);
    } finally {
      await listener.close();
    }
  });
});

describe("template reviews", () => {
  it("follows Meta's status for the business account's templates", async () => {
    const { db } = database().handle;
    const [template] = await db
      .insert(templates)
      .values({
        inboxId: inbox.id,
        name: "order_update",
        language: "en_US",
        category: "utility",
        status: "approved",
        parameterFormat: "named",
        body: "Hi {{name}}",
        parameters: ["name"],
      })
      .returning();
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "waba-1",
          changes: [
            {
              field: "message_template_status_update",
              value: {
                event: "PAUSED",
                message_template_id: 12345,
                message_template_name: "order_update",
                message_template_language: "en_US",
                reason: null,
              },
            },
          ],
        },
      ],
    });
    expect((await postWebhook(body)).status).toBe(200);
    const [row] = await db
      .select()
      .from(templates)
      .where(eq(templates.id, template?.id ?? ""));
    expect(row?.status).toBe("paused");
  });
});
