import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import {
  contacts,
  conversations,
  messages,
  simulatorMessages,
  webhookEvents,
  type Conversation,
  type Inbox,
  type User,
} from "@/lib/db/schema";
import { openMessageMedia } from "@/lib/domain/media";
import { sendMessage } from "@/lib/domain/messages";
import { NotFoundError } from "@/lib/domain/errors";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { createGraphClient, type GraphClient } from "@/lib/whatsapp/graph-client";
import { readSimulatorFailure, setSimulatorFailure } from "@/lib/whatsapp/simulator/control";
import { listSimulatorInboxes, readCustomerChat, sendAsCustomer } from "@/lib/whatsapp/simulator/customer";
import { httpWebhookDeliverer, type WebhookDeliverer } from "@/lib/whatsapp/simulator/delivery";
import { handleGraphRequest } from "@/lib/whatsapp/simulator/graph-stand-in";
import { serializeLikeMeta } from "@/lib/whatsapp/simulator/payloads";
import { advanceSimulator } from "@/lib/whatsapp/simulator/ticker";
import { drainOutbox } from "@/lib/workers/outbox-sender";
import { setupTestDatabase } from "../../support/db";
import {
  actorFor,
  addMember,
  conversationOfCustomer,
  createInbox,
  createUser,
  ctxFor,
} from "../../support/factories";
import { serveFetch, type TestServer } from "../../support/http-server";
import { matching } from "../../support/matchers";
import { webhookRouteSettled } from "../../support/whatsapp";

const database = setupTestDatabase();
const TOKEN = "simulator-test-token";
let clock = new Date();
let standIn: TestServer;
let app: TestServer;
let graph: GraphClient;
let deliver: WebhookDeliverer;
let inbox: Inbox;
let agent: User;
let customers = 0;
const nextCustomer = () => `4477009${String((customers += 1)).padStart(5, "0")}`;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inbox = await createInbox(db, {
    name: "Support",
    phoneNumberId: "1600000001",
    displayPhoneNumber: "+1 555 010 0009",
  });
  agent = await createUser(db, { name: "Dana" });
  await addMember(db, inbox.id, agent.id);
  standIn = await serveFetch((request) =>
    handleGraphRequest(request, new URL(request.url).pathname.split("/").filter(Boolean).slice(1), {
      db,
      now: () => clock,
      accessToken: TOKEN,
      baseUrl: `${standIn.url}/graph`,
      hangMs: 2_000,
    }),
  );
  graph = createGraphClient({
    baseUrl: `${standIn.url}/graph`,
    version: "v23.0",
    accessToken: TOKEN,
    timeoutMs: 10_000,
  });
  // The app's real webhook route on a real port: the simulator posts to it like Meta does.
  app = await serveFetch(webhookRouteSettled);
  deliver = httpWebhookDeliverer(`${app.url}/api/webhooks/whatsapp`, whatsappConfig().appSecret);
});

afterAll(async () => {
  await Promise.all([standIn.close(), app.close()]);
  clearDatabaseHandle();
});

beforeEach(async () => {
  clock = new Date(clock.getTime() + 3600_000);
  const { db } = database().handle;
  await setSimulatorFailure(db, { kind: "none" }, clock);
  // Each test watches its own messages move: earlier tests' phones stop reporting.
  await db.update(simulatorMessages).set({ nextStatusAt: null });
});

const later = (ms: number) => new Date(clock.getTime() + ms);
const simulator = { db: () => database().handle.db };

async function customerWrites(waId: string, text: string, name = "Zoë Customer") {
  return sendAsCustomer(
    { db: simulator.db(), now: () => clock, deliver },
    { phoneNumberId: inbox.phoneNumberId, customer: waId, name, text },
  );
}

const conversationOf = (waId: string) => conversationOfCustomer(database().handle.db, waId);

async function agentReplies(conversation: Conversation, body: string) {
  const message = await sendMessage({
    ctx: ctxFor(database().handle.db, actorFor(agent), clock),
    input: { type: "text", conversationId: conversation.id, body },
  });
  await drainOutbox({ db: database().handle.db, graph, now: () => clock });
  return message;
}

async function statusOf(id: string) {
  const [row] = await database().handle.db.select().from(messages).where(eq(messages.id, id));
  return row;
}

const tick = (at: Date) => advanceSimulator({ db: database().handle.db, now: () => at, deliver });

describe("the customer phone", () => {
  it("posts the customer's message as a signed webhook, escaped like Meta's, through the app's route", async () => {
    const waId = nextCustomer();
    const sent = await customerWrites(waId, "Olá! Is my order 👟 on its way?");
    expect(sent).toMatchObject({
      direction: "to_business",
      status: "sent",
      body: "Olá! Is my order 👟 on its way?",
    });

    const [stored] = await database().handle.db.select().from(messages).where(eq(messages.wamid, sent.wamid));
    expect(stored).toMatchObject({
      type: "text",
      body: "Olá! Is my order 👟 on its way?",
      direction: "inbound",
    });
    const [contact] = await database().handle.db.select().from(contacts).where(eq(contacts.waId, waId));
    expect(contact).toMatchObject({ profileName: "Zoë Customer", phone: `+${waId}` });
    const [event] = await database()
      .handle.db.select()
      .from(webhookEvents)
      .orderBy(desc(webhookEvents.id))
      .limit(1);
    expect(event?.rawBody).toContain("Ol\\u00e1! Is my order \\ud83d\\udc5f");
    expect(serializeLikeMeta({ text: "é" })).toBe('{"text":"\\u00e9"}');
  });

  it("lists the business numbers with customers to play, and shows both sides of the chat", async () => {
    const waId = nextCustomer();
    await customerWrites(waId, "Hello", "Priya Sharma");
    const listed = await listSimulatorInboxes(database().handle.db);
    expect(listed.find((entry) => entry.id === inbox.id)?.customers).toContainEqual({
      waId,
      name: "Priya Sharma",
    });

    await agentReplies(await conversationOf(waId), "Hello Priya, how can I help?");
    const chat = await readCustomerChat(database().handle.db, {
      phoneNumberId: inbox.phoneNumberId,
      customer: `+${waId}`,
    });
    expect(chat.map((row) => [row.direction, row.body])).toEqual([
      ["to_business", "Hello"],
      ["to_customer", "Hello Priya, how can I help?"],
    ]);
  });

  it("reports a failed delivery to the app on the phone itself", async () => {
    const offline = httpWebhookDeliverer("http://127.0.0.1:1/api/webhooks/whatsapp", "x");
    const sent = await sendAsCustomer(
      { db: database().handle.db, now: () => clock, deliver: offline },
      { phoneNumberId: inbox.phoneNumberId, customer: nextCustomer(), name: "Lost", text: "Anyone there?" },
    );
    expect(sent).toMatchObject({ status: "failed", error: matching(/no response/) });
  });

  it("refuses a number that is not one of the business's, and a message with nothing in it", async () => {
    await expect(
      sendAsCustomer(
        { db: database().handle.db, now: () => clock, deliver },
        { phoneNumberId: "nope", customer: "15550001", name: "A", text: "Hi" },
      ),
    ).rejects.toThrow(NotFoundError);
    await expect(
      sendAsCustomer(
        { db: database().handle.db, now: () => clock, deliver },
        { phoneNumberId: inbox.phoneNumberId, customer: "15550001", name: "A" },
      ),
    ).rejects.toThrow(/Write a message or attach an image/);
  });
});

describe("the Graph API stand-in's status reports", () => {
  it("moves a reply from sent to delivered to read by signed webhooks", async () => {
    const waId = nextCustomer();
    await customerWrites(waId, "Where is my parcel?");
    const reply = await agentReplies(await conversationOf(waId), "It arrives tomorrow.");
    expect((await statusOf(reply.id))?.status).toBe("sent");

    expect(await tick(clock)).toBe(0); // nothing is due yet
    expect(await tick(later(500))).toBe(1);
    expect(await tick(later(2_000))).toBe(1);
    expect((await statusOf(reply.id))?.status).toBe("delivered");
    expect(await tick(later(5_000))).toBe(1);
    expect((await statusOf(reply.id))?.status).toBe("read");
    expect(await tick(later(60_000))).toBe(0);

    const [phone] = await database()
      .handle.db.select()
      .from(simulatorMessages)
      .where(eq(simulatorMessages.wamid, (await statusOf(reply.id))?.wamid ?? ""));
    expect(phone).toMatchObject({ status: "read", nextStatusAt: null });
  });

  it("reports 131047 as a failed status: the message fails and the window closes", async () => {
    const waId = nextCustomer();
    await customerWrites(waId, "Hi");
    const conversation = await conversationOf(waId);
    await setSimulatorFailure(database().handle.db, { kind: "failed_status", code: 131047, times: 1 }, clock);
    const reply = await agentReplies(conversation, "Are you still there?");
    await tick(later(500));
    expect(await statusOf(reply.id)).toMatchObject({
      status: "failed",
      errorCode: 131047,
      errorTitle: "Re-engagement message",
      failureReason: "The 24-hour window has closed; send an approved template.",
    });
    const [after] = await database()
      .handle.db.select()
      .from(conversations)
      .where(eq(conversations.id, conversation.id));
    expect(after?.windowExpiresAt?.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("reports a status again when the app did not acknowledge it", async () => {
    const waId = nextCustomer();
    await customerWrites(waId, "Hi");
    const reply = await agentReplies(await conversationOf(waId), "Hello!");
    let refusals = 1;
    const flaky: WebhookDeliverer = async (raw) => (refusals-- > 0 ? { status: 503 } : deliver(raw));
    expect(await advanceSimulator({ db: database().handle.db, now: () => later(500), deliver: flaky })).toBe(
      0,
    );
    expect(
      await advanceSimulator({ db: database().handle.db, now: () => later(2_000), deliver: flaky }),
    ).toBe(0);
    expect(
      await advanceSimulator({ db: database().handle.db, now: () => later(6_000), deliver: flaky }),
    ).toBe(1);
    const [phone] = await database()
      .handle.db.select()
      .from(simulatorMessages)
      .where(eq(simulatorMessages.wamid, (await statusOf(reply.id))?.wamid ?? ""));
    expect(phone?.status).toBe("sent");
  });
});

describe("customer media", () => {
  it("reaches agents through the authenticated media route, streamed from the Graph API", async () => {
    const waId = nextCustomer();
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const sent = await sendAsCustomer(
      { db: database().handle.db, now: () => clock, deliver },
      {
        phoneNumberId: inbox.phoneNumberId,
        customer: waId,
        name: "Photo Sender",
        text: "The broken part",
        image: { data: png, mimeType: "image/png", filename: "part.png" },
      },
    );
    const [stored] = await database().handle.db.select().from(messages).where(eq(messages.wamid, sent.wamid));
    expect(stored).toMatchObject({ type: "image", body: "The broken part" });

    const media = await openMessageMedia({
      ctx: ctxFor(database().handle.db, actorFor(agent), clock),
      input: { messageId: stored?.id ?? "" },
      graph,
    });
    if (media.kind !== "stream") throw new Error("expected a stream");
    expect(media).toMatchObject({
      contentType: "image/png",
      disposition: "inline",
      contentLength: png.byteLength,
    });
    expect(Buffer.from(await new Response(media.body).arrayBuffer())).toEqual(png);
  });
});

describe("the failure switch", () => {
  it("fails the requested number of sends, then turns itself off", async () => {
    const { db } = database().handle;
    expect(await setSimulatorFailure(db, { kind: "server_error", times: 2 }, clock)).toEqual({
      kind: "server_error",
      code: 131000,
      remaining: 2,
    });
    const send = () =>
      graph.sendMessage(inbox.phoneNumberId, {
        messaging_product: "whatsapp",
        to: "+1555",
        type: "text",
        text: { body: "x" },
      });
    expect(await send()).toMatchObject({ ok: false, httpStatus: 500 });
    expect(await readSimulatorFailure(db)).toMatchObject({ remaining: 1 });
    expect(await send()).toMatchObject({ ok: false, httpStatus: 500 });
    expect(await readSimulatorFailure(db)).toEqual({ kind: "none", code: null, remaining: null });
    expect(await send()).toMatchObject({ ok: true });
  });

  it("needs a code for graph errors and failed statuses", async () => {
    await expect(setSimulatorFailure(database().handle.db, { kind: "graph_error" }, clock)).rejects.toThrow(
      /code is required/,
    );
  });

  it("answers like Meta to a wrong token and a malformed send", async () => {
    const wrong = createGraphClient({
      baseUrl: `${standIn.url}/graph`,
      version: "v23.0",
      accessToken: "guess",
    });
    expect(await wrong.sendMessage("1", {})).toMatchObject({
      ok: false,
      code: 190,
      httpStatus: 401,
      retryable: false,
    });
    expect(await graph.sendMessage("1", { messaging_product: "whatsapp", type: "text" })).toMatchObject({
      ok: false,
      code: 100,
      httpStatus: 400,
    });
    expect(await graph.getMedia("404404")).toMatchObject({ ok: false, code: 100 });
  });
});
