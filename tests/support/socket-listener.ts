import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import type { InboxEvent } from "@/lib/realtime/events";
import { setRealtimeServer, type ParleyIo } from "@/lib/realtime/publish";

export interface ReceivedEvent {
  name: string;
  payload: unknown;
}

export interface SocketListener {
  events: ReceivedEvent[];
  /** Resolves once an event matching `predicate` has arrived (events arrive in emit order). */
  waitFor(predicate: (event: ReceivedEvent) => boolean): Promise<ReceivedEvent>;
  close(): Promise<void>;
}

/**
 * Calls `receive` for every event the socket gets, in order; a `batch` frame's events one by one,
 * as the browser's socket hands them to its listeners (lib/client/socket.ts).
 */
export function onEachEvent(socket: Socket, receive: (name: string, payload: unknown) => void): void {
  socket.onAny((name: string, payload: unknown) => {
    if (name !== "batch") return receive(name, payload);
    for (const [inner, innerPayload] of payload as InboxEvent[]) receive(inner, innerPayload);
  });
}

/**
 * A real Socket.IO server installed as Parley's publisher, and a real client in `room`: what
 * publish.ts emits after commit is what this client receives. (The product server's sign-in
 * middleware is not under test here.)
 */
export async function listenToRoom(room: string): Promise<SocketListener> {
  const httpServer = createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const io: ParleyIo = new Server(httpServer, { path: "/socket.io" });
  io.on("connection", (socket) => void socket.join(room));
  setRealtimeServer(io);

  const events: ReceivedEvent[] = [];
  const waiters: { predicate: (event: ReceivedEvent) => boolean; resolve: (event: ReceivedEvent) => void }[] =
    [];
  const client: Socket = connect(url, { path: "/socket.io", transports: ["websocket"], reconnection: false });
  onEachEvent(client, (name, payload) => {
    const event = { name, payload };
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    client.on("connect", () => resolve());
    client.on("connect_error", reject);
  });
  // The join happens in the server's connection handler; a round trip makes sure it ran.
  await new Promise<void>((resolve) => {
    const check = async () => {
      const sockets = await io.in(room).fetchSockets();
      if (sockets.length > 0) resolve();
      else setImmediate(() => void check());
    };
    void check();
  });

  return {
    events,
    waitFor: (predicate) => {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    close: async () => {
      client.close();
      setRealtimeServer(undefined);
      await new Promise<void>((resolve) => void io.close(() => resolve()));
    },
  };
}
