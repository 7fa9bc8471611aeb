import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userCanSeeConversation } from "@/lib/domain/conversations/visible";
import type { Conversation, Inbox, User } from "@/lib/db/schema";
import type { ClientToServerEvents, PresenceEvent, ServerToClientEvents } from "@/lib/realtime/events";
import { registerPresence } from "@/lib/realtime/presence";
import type { ParleyIo } from "@/lib/realtime/publish";
import { setupTestDatabase } from "../../support/db";
import { addMember, createConversation, createInbox, createUser } from "../../support/factories";

const database = setupTestDatabase();
let http: HttpServer;
let io: ParleyIo;
let url: string;
let dana: User;
let lee: User;
let outsider: User;
let inbox: Inbox;
let conversation: Conversation;
const clients: Socket[] = [];

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

beforeAll(async () => {
  const { db } = database().handle;
  inbox = await createInbox(db);
  const otherInbox = await createInbox(db);
  dana = await createUser(db, { name: "Dana" });
  lee = await createUser(db, { name: "Lee" });
  outsider = await createUser(db, { name: "Olly" });
  await addMember(db, inbox.id, dana.id);
  await addMember(db, inbox.id, lee.id);
  await addMember(db, otherInbox.id, outsider.id);
  conversation = await createConversation(db, inbox.id);

  http = createServer();
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  io = new Server(http, { path: "/socket.io" });
  // Stand-in for the session middleware: the test names the signed-in user in the handshake.
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { userId?: string; name?: string };
    socket.data.userId = auth.userId;
    socket.data.userName = auth.name;
    next();
  });
  io.on("connection", (socket) =>
    registerPresence(io, socket, { canView: (userId, id) => userCanSeeConversation(db, userId, id) }),
  );
});

afterAll(async () => {
  for (const client of clients) client.close();
  await new Promise<void>((resolve) => void io.close(() => resolve()));
});

function signIn(user: User): Promise<{ socket: Client; events: PresenceEvent[] }> {
  return new Promise((resolve, reject) => {
    const socket: Client = connect(url, {
      path: "/socket.io",
      auth: { userId: user.id, name: user.name },
      transports: ["websocket"],
    });
    clients.push(socket);
    const events: PresenceEvent[] = [];
    socket.on("presence", (event) => events.push(event));
    socket.on("connect", () => resolve({ socket, events }));
    socket.on("connect_error", reject);
  });
}

const names = (event: PresenceEvent | undefined, key: "viewers" | "typing") =>
  event?.[key].map((v) => v.name).sort() ?? [];

describe("presence", () => {
  it("shows who is viewing and who is typing to everyone in the conversation, and who left", async () => {
    const a = await signIn(dana);
    const b = await signIn(lee);
    a.socket.emit("presence.view", { conversationId: conversation.id });
    await expect.poll(() => names(a.events.at(-1), "viewers")).toEqual(["Dana"]);
    b.socket.emit("presence.view", { conversationId: conversation.id });
    await expect.poll(() => names(a.events.at(-1), "viewers")).toEqual(["Dana", "Lee"]);

    b.socket.emit("presence.typing", { conversationId: conversation.id, typing: true });
    await expect.poll(() => names(a.events.at(-1), "typing")).toEqual(["Lee"]);
    b.socket.emit("presence.typing", { conversationId: conversation.id, typing: false });
    await expect.poll(() => names(a.events.at(-1), "typing")).toEqual([]);

    b.socket.close();
    await expect.poll(() => names(a.events.at(-1), "viewers")).toEqual(["Dana"]);
  });

  it("refuses to let a user watch a conversation outside their inboxes, and survives bad payloads", async () => {
    const a = await signIn(dana);
    const olly = await signIn(outsider);
    a.socket.emit("presence.view", { conversationId: conversation.id });
    await expect.poll(() => names(a.events.at(-1), "viewers")).toContain("Dana");

    olly.socket.emit("presence.view", { conversationId: conversation.id });
    olly.socket.emit("presence.view", { conversationId: "not-a-uuid" });
    olly.socket.emit("presence.typing", { conversationId: conversation.id, typing: true });
    // The server keeps serving: a later legitimate change still arrives, without Olly in it.
    a.socket.emit("presence.typing", { conversationId: conversation.id, typing: true });
    await expect.poll(() => names(a.events.at(-1), "typing")).toEqual(["Dana"]);
    expect(names(a.events.at(-1), "viewers")).not.toContain("Olly");
    expect(olly.events).toEqual([]);
  });

  it("applies one socket's events in the order it sent them: typing right after view counts", async () => {
    const fresh = await createConversation(database().handle.db, inbox.id);
    const a = await signIn(dana);
    const b = await signIn(lee);
    a.socket.emit("presence.view", { conversationId: fresh.id });
    await expect.poll(() => names(a.events.at(-1), "viewers")).toEqual(["Dana"]);

    // No wait between the two: "view" checks membership in the database before it takes effect.
    b.socket.emit("presence.view", { conversationId: fresh.id });
    b.socket.emit("presence.typing", { conversationId: fresh.id, typing: true });
    await expect
      .poll(() =>
        a.events.some((event) => event.conversationId === fresh.id && names(event, "typing")[0] === "Lee"),
      )
      .toBe(true);
    expect(names(a.events.at(-1), "typing")).toEqual(["Lee"]);
    expect(names(a.events.at(-1), "viewers")).toEqual(["Dana", "Lee"]);
  });
});
