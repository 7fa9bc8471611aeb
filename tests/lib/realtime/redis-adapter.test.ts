import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParleyIo } from "@/lib/realtime/publish";
import { attachRedisAdapter } from "@/lib/realtime/redis-adapter";

// The machine's Redis; CI runs where it is started before the session.
const redisUrl = "redis://127.0.0.1:6379";

interface Instance {
  http: HttpServer;
  io: ParleyIo;
  url: string;
  closeRedis: () => Promise<void>;
}

async function startInstance(): Promise<Instance> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const io: ParleyIo = new Server(http, { path: "/socket.io" });
  // A stand-in for the session middleware: every socket joins the inbox room it names.
  io.on("connection", (socket) => {
    const room = socket.handshake.query.room;
    if (typeof room === "string") void socket.join(room);
  });
  const closeRedis = await attachRedisAdapter(io, redisUrl);
  return { http, io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, closeRedis };
}

let a: Instance;
let b: Instance;
const clients: Socket[] = [];

beforeAll(async () => {
  a = await startInstance();
  b = await startInstance();
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const instance of [a, b]) {
    await new Promise<void>((resolve) => void instance.io.close(() => resolve()));
    await instance.closeRedis();
  }
});

function join(instance: Instance, room: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const client = connect(instance.url, { path: "/socket.io", query: { room }, transports: ["websocket"] });
    clients.push(client);
    client.on("connect", () => resolve(client));
    client.on("connect_error", reject);
  });
}

describe("the Redis adapter", () => {
  it("delivers an event published on one instance to a client of the other, once", async () => {
    const onB = await join(b, "inbox:shared");
    const received: string[] = [];
    onB.on("session.ended", (event: { reason: string }) => received.push(event.reason));
    // The adapter subscribes asynchronously; wait until B's room is visible from A.
    await expect
      .poll(async () => (await a.io.in("inbox:shared").fetchSockets()).length, { timeout: 5000 })
      .toBe(1);

    a.io.to("inbox:shared").emit("session.ended", { reason: "from instance A" });
    await expect.poll(() => received, { timeout: 5000 }).toEqual(["from instance A"]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toEqual(["from instance A"]);
  });

  it("refuses to start when Redis cannot be reached", async () => {
    const http = createServer();
    const io: ParleyIo = new Server(http);
    await expect(attachRedisAdapter(io, "redis://127.0.0.1:1")).rejects.toThrow();
    await new Promise<void>((resolve) => void io.close(() => resolve()));
  });
});
