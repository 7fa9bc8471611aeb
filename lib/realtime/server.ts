import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { authenticateSocketHandshake } from "@/lib/auth/socket-session";
import { describeError, log } from "@/lib/log";
import { getDb } from "@/lib/db";
import { userCanSeeConversation } from "@/lib/domain/conversations/visible";
import { rooms } from "./events";
import { registerPresence } from "./presence";
import type { ParleyIo } from "./publish";

export interface RealtimeOptions {
  /** Origins allowed to open a socket: the app's own URL (and its loopback twin in development). */
  allowedOrigins: string[];
}

/** Socket.IO on the app's own port at /socket.io; every connection must pass `authenticate`. */
export function createRealtimeServer(httpServer: HttpServer, options: RealtimeOptions): ParleyIo {
  const allowed = new Set(options.allowedOrigins.map((origin) => new URL(origin).origin));
  const io: ParleyIo = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // Next.js handles its own upgrades (dev HMR); Socket.IO must not destroy them.
    destroyUpgrade: false,
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      const permitted = origin === undefined || allowed.has(origin);
      if (!permitted) log.warn("socket refused: foreign origin", { origin });
      callback(permitted ? null : "origin not allowed", permitted);
    },
  });

  // No session, no socket: the handshake carries the session cookie, checked like any request.
  io.use((socket, next) => {
    authenticateSocketHandshake(socket.handshake.headers.cookie)
      .then(async (identity) => {
        if (!identity) {
          log.debug("socket refused: no session", { id: socket.id });
          next(new Error("Sign-in is required to connect."));
          return;
        }
        socket.data.userId = identity.userId;
        socket.data.userName = identity.name;
        await socket.join([rooms.user(identity.userId), ...identity.inboxIds.map(rooms.inbox)]);
        next();
      })
      .catch((error: unknown) => {
        log.warn("socket refused: session check failed", describeError(error));
        next(new Error("Sign-in could not be checked; try again."));
      });
  });

  io.on("connection", (socket) => {
    // Engine.IO keeps the connection's first HTTP request for the socket's lifetime; everything we
    // read from it (the cookie, via socket.handshake) has been read by now, so let it go.
    (socket.conn as { request: unknown }).request = null;
    socket.on("ping", (ack) => {
      if (typeof ack === "function") ack({ at: new Date().toISOString() });
    });
    registerPresence(io, socket, {
      canView: async (userId, conversationId) =>
        userCanSeeConversation(await getDb(), userId, conversationId),
    });
  });

  return io;
}
