import { io, type Socket, type SocketReservedEvents } from "socket.io-client";
import type { ClientToServerEvents, InboxEvent, ServerToClientEvents } from "@/lib/realtime/events";

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Makes the socket hand each inbox event of a `batch` frame to the listeners of its own name, in
 * order, as if it had come alone (the browser's shared socket, the bench's agents).
 */
export function unbatch(socket: Pick<Socket, "on" | "listeners">): void {
  socket.on("batch", (events: InboxEvent[]) => {
    for (const [name, payload] of events) {
      for (const listener of socket.listeners(name)) (listener as (payload: unknown) => void)(payload);
    }
  });
}

/** Listeners by event name, for `listen`: the server's events and the socket's own (connect…). */
export type SocketListeners = { [Name in keyof ServerToClientEvents]?: ServerToClientEvents[Name] } & {
  [Name in keyof SocketReservedEvents]?: SocketReservedEvents[Name];
};

/** Adds the listeners to the socket; returns what removes exactly these listeners again. */
export function listen(socket: ParleySocket, listeners: SocketListeners): () => void {
  // Typed `on`/`off` take one event name at a time; each entry pairs a name with its own listener.
  const untyped = socket as unknown as {
    on(name: string, listener: (payload: never) => void): void;
    off(name: string, listener: (payload: never) => void): void;
  };
  const entries = Object.entries(listeners) as [string, (payload: never) => void][];
  for (const [name, listener] of entries) untyped.on(name, listener);
  return () => {
    for (const [name, listener] of entries) untyped.off(name, listener);
  };
}

/**
 * How long the socket stays open once nothing uses it: each page renders its own shell, so going
 * from one page to the next releases it and acquires it again a moment later.
 */
const CLOSE_AFTER_MS = 2_000;

let shared: { socket: ParleySocket; users: number; closing?: ReturnType<typeof setTimeout> } | undefined;

/**
 * The tab's one Socket.IO connection, shared by every part of the page that listens (the inbox,
 * the SLA board, session and breach alerts), and kept from page to page: each connection of an
 * agent receives every event of their inboxes, so a second one would double what the server writes
 * for every message. Release it with `releaseSocket` (after removing your listeners); it closes
 * once nothing has used it for a moment.
 */
export function acquireSocket(): ParleySocket {
  if (!shared) {
    const socket: ParleySocket = io({
      path: "/socket.io",
      withCredentials: true,
      transports: ["websocket", "polling"],
    });
    unbatch(socket);
    shared = { socket, users: 0 };
  }
  clearTimeout(shared.closing);
  shared.closing = undefined;
  shared.users += 1;
  return shared.socket;
}

export function releaseSocket(socket: ParleySocket): void {
  const current = shared;
  if (!current || current.socket !== socket) return;
  current.users -= 1;
  if (current.users > 0) return;
  current.closing = setTimeout(() => {
    if (shared !== current || current.users > 0) return;
    shared = undefined;
    socket.close();
  }, CLOSE_AFTER_MS);
}
