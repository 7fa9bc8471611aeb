import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chatRoute from "@/app/api/simulator/chat/route";
import * as failureRoute from "@/app/api/simulator/failure/route";
import * as graphRoute from "@/app/api/simulator/graph/[...path]/route";
import * as inboxesRoute from "@/app/api/simulator/inboxes/route";
import * as messagesRoute from "@/app/api/simulator/messages/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { contacts, messages, type Inbox } from "@/lib/db/schema";
import type { Actor } from "@/lib/domain/context";
import { ForbiddenError, NotFoundError, UnauthenticatedError } from "@/lib/domain/errors";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { checkSimulatorAccess } from "@/lib/whatsapp/simulator/access";
import { setupTestDatabase } from "../../support/db";
import { createInbox } from "../../support/factories";
import { serveFetch, type TestServer } from "../../support/http-server";
import { webhookRouteSettled } from "../../support/whatsapp";
import { arrayWith, containing, matching } from "../../support/matchers";

const database = setupTestDatabase();
let app: TestServer;
let inbox: Inbox;
const previousAppUrl = process.env.APP_URL;

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  inbox = await createInbox(database().handle.db, { name: "Support", phoneNumberId: "1700000001" });
  // The simulator posts to the app's own webhook URL (APP_URL): here, the real route on a real port.
  app = await serveFetch(webhookRouteSettled);
  process.env.APP_URL = app.url;
});

afterAll(async () => {
  await app.close();
  clearDatabaseHandle();
  if (previousAppUrl === undefined) delete process.env.APP_URL;
  else process.env.APP_URL = previousAppUrl;
});

const json = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/simulator/x", {
    method,
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });

describe("the simulator API (open to anyone outside production)", () => {
  it("sends as a customer through the app's webhook route, and shows the chat", async () => {
    expect(whatsappConfig().webhookUrl).toBe(`${app.url}/api/webhooks/whatsapp`);
    const response = await messagesRoute.POST(
      json("POST", {
        phoneNumberId: inbox.phoneNumberId,
        customer: "+49 151 2345 6789",
        name: "Jonas",
        text: "Guten Tag!",
      }),
      undefined,
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      status: "sent",
      customer: "4915123456789",
      body: "Guten Tag!",
    });
    const [contact] = await database()
      .handle.db.select()
      .from(contacts)
      .where(eq(contacts.waId, "4915123456789"));
    expect(contact?.profileName).toBe("Jonas");

    const chat = await chatRoute.GET(
      new Request(
        `http://localhost/api/simulator/chat?phoneNumberId=${inbox.phoneNumberId}&customer=4915123456789`,
      ),
      undefined,
    );
    expect((await chat.json()) as unknown).toMatchObject({
      items: [{ direction: "to_business", body: "Guten Tag!" }],
    });

    const listed = await inboxesRoute.GET(new Request("http://localhost/api/simulator/inboxes"), undefined);
    expect(await listed.json()).toMatchObject({
      items: arrayWith([containing({ id: inbox.id, customers: [{ waId: "4915123456789", name: "Jonas" }] })]),
    });
  });

  it("sends a photo as a customer from a form upload", async () => {
    const form = new FormData();
    form.set("phoneNumberId", inbox.phoneNumberId);
    form.set("customer", "4915100000001");
    form.set("name", "Mia");
    form.set("text", "See attached");
    form.set(
      "image",
      new File([Buffer.from("ffd8ffe000104a464946", "hex")], "photo.jpg", { type: "image/jpeg" }),
    );
    const response = await messagesRoute.POST(
      new Request("http://localhost/api/simulator/messages", { method: "POST", body: form }),
      undefined,
    );
    expect(response.status).toBe(201);
    const sent = (await response.json()) as { wamid: string; status: string };
    expect(sent.status).toBe("sent");
    const [stored] = await database().handle.db.select().from(messages).where(eq(messages.wamid, sent.wamid));
    expect(stored).toMatchObject({ type: "image", body: "See attached" });
  });

  it("answers 400 with a readable message to a bad customer or failure switch", async () => {
    const bad = await messagesRoute.POST(
      json("POST", { phoneNumberId: inbox.phoneNumberId, customer: "abc", name: "X", text: "Hi" }),
      undefined,
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: matching(/6 to 15 digits/) } });
    const switchBad = await failureRoute.PUT(json("PUT", { kind: "explode" }), undefined);
    expect(switchBad.status).toBe(400);
  });

  it("switches the Graph API stand-in's failures", async () => {
    const set = await failureRoute.PUT(
      json("PUT", { kind: "graph_error", code: 130429, times: 1 }),
      undefined,
    );
    expect(await set.json()).toEqual({ kind: "graph_error", code: 130429, remaining: 1 });
    const read = await failureRoute.GET(new Request("http://localhost/api/simulator/failure"), undefined);
    expect(await read.json()).toEqual({ kind: "graph_error", code: 130429, remaining: 1 });
    await failureRoute.PUT(json("PUT", { kind: "none" }), undefined);
  });
});

describe("the Graph API stand-in route", () => {
  const send = (token: string) =>
    graphRoute.POST(
      json(
        "POST",
        { messaging_product: "whatsapp", to: "+4915123456789", type: "text", text: { body: "Danke!" } },
        { authorization: `Bearer ${token}` },
      ),
      { params: Promise.resolve({ path: ["v23.0", inbox.phoneNumberId, "messages"] }) },
    );

  it("accepts a send with the simulator's token and answers like Meta", async () => {
    const response = await send(whatsappConfig().accessToken ?? "");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: "+4915123456789", wa_id: "4915123456789" }],
      messages: [{ id: matching(/^wamid\./), message_status: "accepted" }],
    });
  });

  it("refuses any other token with Meta's error 190", async () => {
    const response = await send("guess");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 190, type: "OAuthException" } });
  });
});

describe("who may use the simulator", () => {
  const request = new Request("http://localhost/simulator");
  const admin: Actor = { kind: "user", userId: "u1", role: "admin", name: "Ada", via: "session" };
  const agent: Actor = { kind: "user", userId: "u2", role: "agent", name: "Dana", via: "session" };
  const nobody = () => Promise.reject(new UnauthenticatedError("Sign-in is required."));

  it("is off when simulator mode is off", async () => {
    await expect(
      checkSimulatorAccess({ simulatorEnabled: false, simulatorAccess: "anyone" }, request, nobody),
    ).rejects.toThrow(NotFoundError);
  });

  it("is open to anyone when configured so (development)", async () => {
    await expect(
      checkSimulatorAccess({ simulatorEnabled: true, simulatorAccess: "anyone" }, request, nobody),
    ).resolves.toBeUndefined();
  });

  it("needs an admin otherwise: 401 without a session, 403 for an agent", async () => {
    const config = { simulatorEnabled: true, simulatorAccess: "admins" as const };
    await expect(checkSimulatorAccess(config, request, nobody)).rejects.toThrow(UnauthenticatedError);
    await expect(checkSimulatorAccess(config, request, () => Promise.resolve(agent))).rejects.toThrow(
      ForbiddenError,
    );
    await expect(
      checkSimulatorAccess(config, request, () => Promise.resolve(admin)),
    ).resolves.toBeUndefined();
  });
});
