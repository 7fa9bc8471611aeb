import { randomUUID } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unbatch } from "@/lib/client/socket";
import {
  rooms,
  type ClientToServerEvents,
  type InboxEvent,
  type ServerToClientEvents,
} from "@/lib/realtime/events";
import { InboxFrames } from "@/lib/realtime/inbox-frames";
import type { ParleyIo } from "@/lib/realtime/publish";

let http: HttpServer;
let io: ParleyIo;
let url: string;
const clients: Socket[] = [];

beforeAll(async () => {
  http = createServer();
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  io = new Server(http, { path: "/socket.io" });
  // Stand-in for the session middleware: the handshake names the inbox the agent belongs to.
  io.on("connection", (socket) => {
    const { inboxId } = socket.handshake.auth as { inboxId: string };
    void socket.join(rooms.inbox(inboxId));
  });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await new Promise<void>((resolve) => void io.close(() => resolve()));
});

/** An agent's socket in one inbox's room, keeping every frame exactly as it came over the wire. */
async function agentIn(inboxId: string) {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, {
    path: "/socket.io",
    transports: ["websocket"],
    auth: { inboxId },
    reconnection: false,
  });
  clients.push(socket);
  const frames: { name: string; payload: unknown }[] = [];
  socket.onAny((name: string, payload: unknown) => frames.push({ name, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  while ((await io.in(rooms.inbox(inboxId)).fetchSockets()).length === 0) await sleep(5);
  const framesCount = async (count: number) => {
    while (frames.length < count) await sleep(5);
    return frames;
  };
  return { socket, frames, framesCount };
}

/** A budget the first frame spends: every later event waits a tenth of a second for the next frame. */
const overBudget = { writesPerSecond: 10, burstWrites: 0 };

function reviewed(inboxId: string, n: number): InboxEvent {
  return [
    "sla.reviewed",
    {
      slaEventId: `clock-${n}`,
      conversationId: randomUUID(),
      inboxId,
      reviewedAt: new Date(Date.UTC(2026, 10, 2, 10, n)).toISOString(),
      reviewedBy: null,
    },
  ];
}

function changed(inboxId: string): InboxEvent {
  return ["sla.changed", { conversationId: randomUUID(), inboxId, sla: null }];
}

describe("an inbox's frames", () => {
  it("sends an event alone, at once and as itself, when nothing waits", async () => {
    const inboxId = randomUUID();
    const agent = await agentIn(inboxId);
    const event = reviewed(inboxId, 1);
    new InboxFrames(io).send(inboxId, event);
    expect(await agent.framesCount(1)).toEqual([{ name: "sla.reviewed", payload: event[1] }]);
  });

  it("sends a small inbox's events at once, each as itself, even back to back", async () => {
    const inboxId = randomUUID();
    const agent = await agentIn(inboxId);
    const frames = new InboxFrames(io);
    const events = [1, 2, 3, 4, 5].map((n) => reviewed(inboxId, n));
    for (const event of events) frames.send(inboxId, event);
    expect(await agent.framesCount(5)).toEqual(events.map(([name, payload]) => ({ name, payload })));
  });

  it("sends the events published while the last frame's wait runs as one batch, in order", async () => {
    const inboxId = randomUUID();
    const agent = await agentIn(inboxId);
    const frames = new InboxFrames(io, overBudget);
    const events = [reviewed(inboxId, 1), changed(inboxId), reviewed(inboxId, 2), reviewed(inboxId, 3)];
    for (const event of events) frames.send(inboxId, event);
    expect(await agent.framesCount(2)).toEqual([
      { name: "sla.reviewed", payload: events[0]?.[1] },
      { name: "batch", payload: events.slice(1) },
    ]);
  });

  it("counts a frame as one write per socket of the room: a larger inbox runs out sooner", async () => {
    const [small, large] = [randomUUID(), randomUUID()];
    const one = await agentIn(small);
    const three = [await agentIn(large), await agentIn(large), await agentIn(large)];
    // Two writes at once, then ten a second.
    const frames = new InboxFrames(io, { writesPerSecond: 10, burstWrites: 2 });
    const toSmall = [1, 2, 3, 4].map((n) => reviewed(small, n));
    const toLarge = [1, 2, 3].map((n) => reviewed(large, n));
    for (const event of toSmall) frames.send(small, event);
    for (const event of toLarge) frames.send(large, event);
    // The small inbox's first three frames fit (2, 1, then 0 writes left); the fourth waits.
    expect(await one.framesCount(4)).toEqual(toSmall.map(([name, payload]) => ({ name, payload })));
    // The large inbox's first frame costs three writes: the next two wait, and go together.
    for (const agent of three) {
      expect(await agent.framesCount(2)).toEqual([
        { name: "sla.reviewed", payload: toLarge[0]?.[1] },
        { name: "batch", payload: toLarge.slice(1) },
      ]);
    }
  });

  it("hands a batch's events to the listeners of their own names, in order, on an agent's socket", async () => {
    const inboxId = randomUUID();
    const agent = await agentIn(inboxId);
    unbatch(agent.socket);
    const heard: string[] = [];
    agent.socket.on("sla.reviewed", (event) => heard.push(event.slaEventId));
    agent.socket.on("sla.changed", (event) => heard.push(`changed ${event.conversationId}`));
    const frames = new InboxFrames(io, overBudget);
    const events = [reviewed(inboxId, 1), reviewed(inboxId, 2), changed(inboxId), reviewed(inboxId, 3)];
    for (const event of events) frames.send(inboxId, event);
    await agent.framesCount(2);
    const conversationId = (events[2]?.[1] as { conversationId: string }).conversationId;
    expect(heard).toEqual(["clock-1", "clock-2", `changed ${conversationId}`, "clock-3"]);
  });

  it("keeps each inbox's events to its own room, each in its own order", async () => {
    const [inboxA, inboxB] = [randomUUID(), randomUUID()];
    const agentA = await agentIn(inboxA);
    const agentB = await agentIn(inboxB);
    const frames = new InboxFrames(io, overBudget);
    const forA = [1, 2, 3].map((n) => reviewed(inboxA, n));
    const forB = [4, 5].map((n) => reviewed(inboxB, n));
    frames.send(inboxA, forA[0] as InboxEvent);
    frames.send(inboxB, forB[0] as InboxEvent);
    frames.send(inboxA, forA[1] as InboxEvent);
    frames.send(inboxB, forB[1] as InboxEvent);
    frames.send(inboxA, forA[2] as InboxEvent);
    expect(await agentA.framesCount(2)).toEqual([
      { name: "sla.reviewed", payload: forA[0]?.[1] },
      { name: "batch", payload: forA.slice(1) },
    ]);
    expect(await agentB.framesCount(2)).toEqual([
      { name: "sla.reviewed", payload: forB[0]?.[1] },
      { name: "sla.reviewed", payload: forB[1]?.[1] },
    ]);
  });

  it("sends whatever waits at once when flushed (shutdown)", async () => {
    const inboxId = randomUUID();
    await agentIn(inboxId);
    const serverSocket = [...io.sockets.sockets.values()].find((socket) =>
      socket.rooms.has(rooms.inbox(inboxId)),
    );
    const written: string[] = [];
    serverSocket?.onAnyOutgoing((name: string) => written.push(name));
    const frames = new InboxFrames(io, overBudget);
    frames.send(inboxId, reviewed(inboxId, 1));
    frames.send(inboxId, reviewed(inboxId, 2));
    expect(written).toEqual(["sla.reviewed"]);
    frames.flushAll();
    expect(written).toEqual(["sla.reviewed", "sla.reviewed"]);
  });
});
