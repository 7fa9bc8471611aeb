import { eq, inArray } from "drizzle-orm";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/client";
import { inboxes, messages, outbox, simulatorMessages, type Inbox } from "@/lib/db/schema";
import { sendMessage } from "@/lib/domain/messages";
import { createAccount, sessionCookie, type TestAccount } from "../support/auth";
import { actorFor, createConversation, ctxFor } from "../support/factories";
import { onEachEvent } from "../support/socket-listener";
import {
  SUPPORT_NUMBER,
  eventually,
  freePort,
  freshDatabase,
  openHandle,
  postWebhook,
  recordResult,
  startParley,
  textMessageBody,
  type Parley,
} from "./support";

const REDIS_URL = process.env.FAULTS_REDIS_URL ?? "redis://127.0.0.1:6379";
const REPLIES = 60;

let database: Awaited<ReturnType<typeof freshDatabase>>;
let handle: DatabaseHandle;
let instanceA: Parley;
let instanceB: Parley;
let inbox: Inbox;
const sockets: Socket[] = [];

interface Listener {
  socket: Socket;
  events: { name: string; payload: Record<string, unknown> }[];
}

async function agentSocket(url: string, account: TestAccount): Promise<Listener> {
  const socket = connect(url, {
    path: "/socket.io",
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { cookie: await sessionCookie(account) },
  });
  sockets.push(socket);
  const events: Listener["events"] = [];
  onEachEvent(socket, (name, payload) => events.push({ name, payload: payload as Record<string, unknown> }));
  await new Promise<void>((resolve, reject) => {
    socket.on("connect", () => resolve());
    socket.on("connect_error", reject);
  });
  return { socket, events };
}

beforeAll(async () => {
  database = await freshDatabase();
  // Started one after the other: the first migrates and seeds, the second finds it done.
  const env = { REDIS_URL };
  instanceA = await startParley({ databaseUrl: database.url, port: await freePort(), env });
  instanceB = await startParley({ databaseUrl: database.url, port: await freePort(), env });
  handle = await openHandle(database.url);
  const [support] = await handle.db.select().from(inboxes).where(eq(inboxes.phoneNumberId, SUPPORT_NUMBER));
  if (!support) throw new Error("the demo seed has no Support inbox");
  inbox = support;
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await Promise.all([instanceA?.stop(), instanceB?.stop()]);
  await handle?.close();
  await database?.drop();
});

describe("two instances sharing PostgreSQL and Redis", () => {
  it("a message arriving at instance A reaches an agent connected to instance B", async () => {
    const agent = await createAccount(handle.db, { role: "agent", inboxIds: [inbox.id] });
    const onB = await agentSocket(instanceB.url, agent);
    const wamid = `wamid.cluster.${Date.now()}`;
    const body = textMessageBody({
      wamid,
      from: "447930000001",
      text: "Is anyone there?",
      timestamp: Math.floor(Date.now() / 1000),
    });
    expect(await postWebhook(instanceA.url, body)).toBe(200);
    const arrived = await eventually(
      () => onB.events.some((event) => event.name === "message.created" && event.payload.wamid === wamid),
      10_000,
      50,
    );
    expect(arrived).toBe(true);
    expect(
      onB.events.filter((event) => event.payload.wamid === wamid && event.name === "message.created"),
    ).toHaveLength(1);
  });

  it("shares presence: an agent on A sees a teammate on B viewing and typing", async () => {
    const dana = await createAccount(handle.db, { role: "agent", inboxIds: [inbox.id], name: "Dana" });
    const sam = await createAccount(handle.db, { role: "agent", inboxIds: [inbox.id], name: "Sam" });
    const conversation = await createConversation(handle.db, inbox.id);
    const onA = await agentSocket(instanceA.url, dana);
    const onB = await agentSocket(instanceB.url, sam);
    onA.socket.emit("presence.view", { conversationId: conversation.id });
    await eventually(
      () =>
        onA.events.some(
          (event) => event.name === "presence" && JSON.stringify(event.payload).includes(dana.id),
        ),
      10_000,
      50,
    );
    onB.socket.emit("presence.view", { conversationId: conversation.id });
    const seesSamViewing = await eventually(
      () =>
        onA.events.some(
          (event) =>
            event.name === "presence" &&
            ((event.payload as { viewers?: { userId: string }[] }).viewers ?? []).some(
              (viewer) => viewer.userId === sam.id,
            ),
        ),
      10_000,
      50,
    );
    expect(seesSamViewing).toBe(true);
    onB.socket.emit("presence.typing", { conversationId: conversation.id, typing: true });
    const seesSamTyping = await eventually(
      () =>
        onA.events.some((event) => {
          if (event.name !== "presence") return false;
          const payload = event.payload as { typing?: { userId: string }[]; viewers?: { userId: string }[] };
          return (payload.typing ?? []).some((typist) => typist.userId === sam.id);
        }),
      10_000,
      50,
    );
    expect(seesSamTyping).toBe(true);
  });

  it("drains the outbox exactly once when both instances run workers", async () => {
    const agent = await createAccount(handle.db, { role: "agent", inboxIds: [inbox.id] });
    const now = new Date();
    const sent: string[] = [];
    for (let index = 0; index < REPLIES; index += 1) {
      const conversation = await createConversation(handle.db, inbox.id, {
        windowExpiresAt: new Date(now.getTime() + 3_600_000),
      });
      const message = await sendMessage({
        ctx: ctxFor(handle.db, actorFor(agent), now),
        input: { type: "text", conversationId: conversation.id, body: `We are looking into it (${index}).` },
      });
      sent.push(message.id);
    }
    const done = await eventually(async () => {
      const jobs = await handle.db.select().from(outbox).where(inArray(outbox.messageId, sent));
      return jobs.length === REPLIES && jobs.every((job) => job.status === "done");
    }, 60_000);
    const jobs = await handle.db.select().from(outbox).where(inArray(outbox.messageId, sent));
    const received = await handle.db
      .select()
      .from(simulatorMessages)
      .where(
        inArray(
          simulatorMessages.idempotencyKey,
          jobs.map((job) => job.id),
        ),
      );
    const rows = await handle.db.select().from(messages).where(inArray(messages.id, sent));

    recordResult("two-instances", {
      replies: REPLIES,
      claimedOnce: jobs.filter((job) => job.attempts === 1).length,
      onThePhone: received.length,
    });
    expect(done).toBe(true);
    // Claimed once each (no instance took a row the other held), and on the phone once each.
    expect(jobs.map((job) => job.attempts)).toEqual(Array.from({ length: REPLIES }, () => 1));
    expect(received).toHaveLength(REPLIES);
    expect(new Set(rows.map((row) => row.wamid)).size).toBe(REPLIES);
  });
});
