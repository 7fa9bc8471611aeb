import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { updateUser } from "@/lib/domain/users";
import { rooms } from "@/lib/realtime/events";
import { setRealtimeServer, type ParleyIo } from "@/lib/realtime/publish";
import { createRealtimeServer } from "@/lib/realtime/server";
import { createAccount, sessionCookie, type TestAccount } from "../../support/auth";
import { setupTestDatabase } from "../../support/db";
import { createInbox } from "../../support/factories";

const database = setupTestDatabase();
let httpServer: Server;
let io: ParleyIo;
let url: string;
let admin: TestAccount;
let support: { id: string };
let sales: { id: string };
const openSockets: Socket[] = [];

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  const { db } = database().handle;
  support = await createInbox(db, { name: "Support" });
  sales = await createInbox(db, { name: "Sales" });
  admin = await createAccount(db, { role: "admin", inboxIds: [support.id, sales.id] });

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

function open(extraHeaders: Record<string, string>): Socket {
  const socket = connect(url, {
    path: "/socket.io",
    transports: ["polling"],
    extraHeaders,
    reconnection: false,
  });
  openSockets.push(socket);
  return socket;
}

/** Connects a real client and reports how the handshake ended. */
function handshake(extraHeaders: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const socket = open(extraHeaders);
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

function connected(extraHeaders: Record<string, string>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = open(extraHeaders);
    socket.on("connect", () => resolve(socket));
    socket.on("connect_error", reject);
  });
}

async function roomMembers(room: string): Promise<(string | undefined)[]> {
  return (await io.in(room).fetchSockets()).map((s) => s.data.userId);
}

describe("the socket server", () => {
  it("refuses a handshake without a session", async () => {
    expect(await handshake({ origin: url })).toBe("Sign-in is required to connect.");
  });

  it("refuses a handshake from a foreign origin", async () => {
    const cookie = await sessionCookie(admin);
    const outcome = await handshake({ origin: "https://evil.example", cookie });
    expect(outcome).not.toBe("connected");
    expect(outcome).not.toBe("Sign-in is required to connect.");
  });

  it("refuses a session that is waiting for 2FA enrolment, and an ended one", async () => {
    const { db } = database().handle;
    const newcomer = await createAccount(db, { twoFactor: false });
    expect(
      await handshake({ origin: url, cookie: await sessionCookie(newcomer, { twoFactor: false }) }),
    ).toBe("Sign-in is required to connect.");
    expect(await handshake({ origin: url, cookie: await sessionCookie(admin, { sessionVersion: 7 }) })).toBe(
      "Sign-in is required to connect.",
    );
  });

  it("joins a signed-in user to their own room and only their inboxes' rooms", async () => {
    const { db } = database().handle;
    const agent = await createAccount(db, { inboxIds: [support.id] });
    const socket = await connected({ origin: url, cookie: await sessionCookie(agent) });
    expect(await roomMembers(rooms.user(agent.id))).toEqual([agent.id]);
    expect(await roomMembers(rooms.inbox(support.id))).toContain(agent.id);
    expect(await roomMembers(rooms.inbox(sales.id))).not.toContain(agent.id);
    socket.close();
  });

  it("moves open sockets between inbox rooms when membership changes", async () => {
    const { db } = database().handle;
    const agent = await createAccount(db, { inboxIds: [support.id] });
    const socket = await connected({ origin: url, cookie: await sessionCookie(agent) });
    await updateUser({
      ctx: {
        db,
        actor: { kind: "user", userId: admin.id, role: "admin", name: admin.name, via: "session" },
        now: new Date(),
      },
      input: { userId: agent.id, inboxIds: [sales.id] },
    });
    expect(await roomMembers(rooms.inbox(sales.id))).toContain(agent.id);
    expect(await roomMembers(rooms.inbox(support.id))).not.toContain(agent.id);
    expect(socket.connected).toBe(true);
    socket.close();
  });

  it("tells a deactivated user's socket the session ended and disconnects it", async () => {
    const { db } = database().handle;
    const agent = await createAccount(db, { inboxIds: [support.id] });
    const socket = await connected({ origin: url, cookie: await sessionCookie(agent) });
    const ended = new Promise<string>((resolve) =>
      socket.on("session.ended", (event: { reason: string }) => resolve(event.reason)),
    );
    const disconnected = new Promise<string>((resolve) =>
      socket.on("disconnect", (reason: string) => resolve(reason)),
    );

    await updateUser({
      ctx: {
        db,
        actor: { kind: "user", userId: admin.id, role: "admin", name: admin.name, via: "session" },
        now: new Date(),
      },
      input: { userId: agent.id, status: "deactivated" },
    });

    // Generous bound so a slow machine does not fail the test; the event itself is what is asserted.
    const bound = new Promise<string>((resolve) => setTimeout(() => resolve("timed out"), 5000));
    expect(await Promise.race([disconnected, bound])).toBe("io server disconnect");
    expect(await Promise.race([ended, bound])).toMatch(/session has ended/);
    expect(await handshake({ origin: url, cookie: await sessionCookie(agent) })).toBe(
      "Sign-in is required to connect.",
    );
  });
});
