import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import type { ParleyIo } from "@/lib/realtime/publish";
import { createRealtimeServer } from "@/lib/realtime/server";

let httpServer: Server;
let io: ParleyIo;
let url: string;

beforeAll(async () => {
  httpServer = createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  io = createRealtimeServer(httpServer, { allowedOrigins: [url] });
});

afterAll(async () => {
  await new Promise<void>((resolve) => void io.close(() => resolve()));
});

/** Connects a real client and reports how the handshake ended. */
function handshake(extraHeaders: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(url, {
      path: "/socket.io",
      transports: ["polling"],
      extraHeaders,
      reconnection: false,
    });
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

describe("the socket server", () => {
  it("refuses a handshake without a session", async () => {
    expect(await handshake({ origin: url })).toBe("Sign-in is required to connect.");
  });

  it("refuses a handshake from a foreign origin", async () => {
    expect(await handshake({ origin: "https://evil.example" })).not.toBe("connected");
    expect(await handshake({ origin: "https://evil.example" })).not.toBe("Sign-in is required to connect.");
  });
});
