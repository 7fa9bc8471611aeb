/** Socket.IO: handshakes without a session or from a foreign origin, and events for other inboxes. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { updateUser, signOutEverywhere } from "@/lib/domain/users";
import { rooms } from "@/lib/realtime/events";
import { flushRealtime, publish, setRealtimeServer, type ParleyIo } from "@/lib/realtime/publish";
import { createRealtimeServer } from "@/lib/realtime/server";
import { createAccount, sessionCookie, type TestAccount } from "../support/auth";
import { setupTestDatabase } from "../support/db";
import { actorFor, createConversation, createInbox, createMessage, ctxFor } from "../support/factories";

const database = setupTestDatabase();
let httpServer: Server;
let io: ParleyIo;
let url: string;
let admin: TestAccount;
let home: { id: string };
let foreign: { id: string };
const openSockets: Socket[] = [];

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  const { db } = database().handle;
  home = await createInbox(db, { name: "Home" });
  foreign = await createInbox(db, { name: "Foreign" });
  admin = await createAccount(db, { role: "admin", inboxIds: [home.id] });
  httpServer = createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  io = createRealtimeServer(httpServer, { allowedOrigins: [url] });
  setRealtimeServer(io);
});

afterAll(async () => {
  for (const socket of openSockets) socket.close();
  setRealtimeServer(undefined);
  await new Promise<void>((resolve) => void io.close(() => resolve()));
  clearDatabaseHandle();
});

function open(extraHeaders: Record<string, string>, transport: "polling" | "websocket" = "polling"): Socket {
  const socket = connect(url, {
    path: "/socket.io",
    transports: [transport],
    extraHeaders,
    reconnection: false,
  });
  openSockets.push(socket);
  return socket;
}

function handshake(extraHeaders: Record<string, string>, transport: "polling" | "websocket" = "polling") {
  return new Promise<string>((resolve) => {
    const socket = open(extraHeaders, transport);
    socket.on("connect", () => {
      socket.close();
      resolve("connected");
    });
    socket.on("connect_error", (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

function connected(cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = open({ origin: url, cookie });
    socket.on("connect", () => resolve(socket));
    socket.on("connect_error", reject);
  });
}

const adminCtx = () => ctxFor(database().handle.db, actorFor(admin));

async function roomsOf(userId: string): Promise<string[]> {
  return (await io.in(rooms.user(userId)).fetchSockets()).flatMap((s) => [...s.rooms]);
}

describe("socket handshakes", () => {
  it.each(["polling", "websocket"] as const)(
    "refuses a %s handshake without a session",
    async (transport) => {
      expect(await handshake({ origin: url }, transport)).not.toBe("connected");
    },
  );
  it.each(["https://evil.example", "null", `${url}.evil.example`, "http://127.0.0.1"])(
    "refuses a handshake with a valid session from origin %s",
    async (origin) => {
      expect(await handshake({ origin, cookie: await sessionCookie(admin) })).not.toBe("connected");
    },
  );
  it("refuses a forged session cookie", async () => {
    expect(
      await handshake({
        origin: url,
        cookie: "__Secure-next-auth.session-token=forged; next-auth.session-token=forged",
      }),
    ).not.toBe("connected");
  });
});

describe("socket events for other inboxes", () => {
  it("never joins an agent to another inbox's conversation room through presence.view, and sends none of its events", async () => {
    const { db } = database().handle;
    const agent = await createAccount(db, { inboxIds: [home.id] });
    const conversation = await createConversation(db, foreign.id);
    const socket = await connected(await sessionCookie(agent));
    const received: string[] = [];
    socket.onAny((name: string) => received.push(name));
    socket.emit("presence.view", { conversationId: conversation.id });
    socket.emit("presence.typing", { conversationId: conversation.id, typing: true });
    await new Promise<void>((resolve) => socket.emit("ping", () => resolve()));
    expect(await roomsOf(agent.id)).not.toContain(rooms.conversation(conversation.id));
    expect(await roomsOf(agent.id)).not.toContain(rooms.inbox(foreign.id));
    io.to([rooms.inbox(foreign.id), rooms.conversation(conversation.id)]).emit("presence", {
      conversationId: conversation.id,
      viewers: [],
      typing: [],
    });
    await new Promise<void>((resolve) => socket.emit("ping", () => resolve()));
    expect(received).toEqual([]);
  });

  it("tells a foreign inbox's room nothing of an outsider's typing", async () => {
    const { db } = database().handle;
    const member = await createAccount(db, { inboxIds: [foreign.id] });
    const outsider = await createAccount(db, { inboxIds: [home.id] });
    const conversation = await createConversation(db, foreign.id);
    const watcher = await connected(await sessionCookie(member));
    const seen: unknown[] = [];
    watcher.on("presence", (event: unknown) => seen.push(event));
    watcher.emit("presence.view", { conversationId: conversation.id });
    await new Promise<void>((resolve) => watcher.emit("ping", () => resolve()));
    seen.length = 0;
    const attacker = await connected(await sessionCookie(outsider));
    attacker.emit("presence.view", { conversationId: conversation.id });
    attacker.emit("presence.typing", { conversationId: conversation.id, typing: true });
    await new Promise<void>((resolve) => attacker.emit("ping", () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(JSON.stringify(seen)).not.toContain(outsider.id);
  });

  it("refuses malformed presence payloads without crashing the connection", async () => {
    const agent = await createAccount(database().handle.db, { inboxIds: [home.id] });
    const socket = await connected(await sessionCookie(agent));
    for (const payload of [
      null,
      42,
      "x",
      { conversationId: "../../admin" },
      { conversationId: { $ne: null } },
    ]) {
      socket.emit("presence.view", payload);
      socket.emit("presence.typing", payload);
    }
    await new Promise<void>((resolve) => socket.emit("ping", () => resolve()));
    expect(socket.connected).toBe(true);
    expect((await roomsOf(agent.id)).filter((room) => room.startsWith("conversation:"))).toEqual([]);
  });
});

describe("sockets after deactivation, role change, sign-out and removal from an inbox", () => {
  const cases: [string, (userId: string) => Promise<unknown>][] = [
    ["deactivation", (userId) => updateUser({ ctx: adminCtx(), input: { userId, status: "deactivated" } })],
    ["a role change", (userId) => updateUser({ ctx: adminCtx(), input: { userId, role: "supervisor" } })],
    [
      "sign-out everywhere",
      (userId) =>
        signOutEverywhere({
          ctx: {
            db: database().handle.db,
            now: new Date(),
            actor: { kind: "user", userId, role: "agent", name: "x", via: "session" },
          },
        }),
    ],
  ];
  it.each(cases)("disconnects the socket on %s and refuses its cookie afterwards", async (_name, act) => {
    const agent = await createAccount(database().handle.db, { inboxIds: [home.id] });
    const cookie = await sessionCookie(agent);
    const socket = await connected(cookie);
    const disconnected = new Promise<string>((resolve) =>
      socket.on("disconnect", (reason: string) => resolve(reason)),
    );
    await act(agent.id);
    const bound = new Promise<string>((resolve) => setTimeout(() => resolve("still connected"), 5000));
    expect(await Promise.race([disconnected, bound])).toBe("io server disconnect");
    expect(await handshake({ origin: url, cookie })).not.toBe("connected");
  });

  it("stops inbox events reaching a socket removed from the inbox", async () => {
    const agent = await createAccount(database().handle.db, { inboxIds: [home.id, foreign.id] });
    const socket = await connected(await sessionCookie(agent));
    await updateUser({ ctx: adminCtx(), input: { userId: agent.id, inboxIds: [home.id] } });
    const received: string[] = [];
    socket.onAny((name: string) => received.push(name));
    io.to(rooms.inbox(foreign.id)).emit("presence", { conversationId: "x", viewers: [], typing: [] });
    await new Promise<void>((resolve) => socket.emit("ping", () => resolve()));
    expect(await roomsOf(agent.id)).not.toContain(rooms.inbox(foreign.id));
    expect(received).toEqual([]);
  });

  it("stops a conversation's messages reaching a socket removed from its inbox while viewing it", async () => {
    const { db } = database().handle;
    const agent = await createAccount(db, { inboxIds: [home.id, foreign.id] });
    const conversation = await createConversation(db, foreign.id);
    const socket = await connected(await sessionCookie(agent));
    // The server joins the socket to the conversation's room, then tells the room who views it.
    const viewing = new Promise<void>((resolve) => socket.once("presence", () => resolve()));
    socket.emit("presence.view", { conversationId: conversation.id });
    await viewing;
    expect(await roomsOf(agent.id)).toContain(rooms.conversation(conversation.id));
    await updateUser({ ctx: adminCtx(), input: { userId: agent.id, inboxIds: [home.id] } });
    const received: string[] = [];
    socket.onAny((name: string) => received.push(name));
    publish.messageCreated(await createMessage(db, conversation, { body: "Only for the inbox's agents" }));
    flushRealtime();
    // A marker to the conversation's room after the message: once it is in, so would the message be.
    const marked = new Promise<void>((resolve) =>
      socket.on("presence", (event: { conversationId: string }) => {
        if (event.conversationId === "marker") resolve();
      }),
    );
    io.to(rooms.conversation(conversation.id)).emit("presence", {
      conversationId: "marker",
      viewers: [],
      typing: [],
    });
    await marked;
    expect(received.filter((name) => name !== "presence")).toEqual([]);
  });
});
