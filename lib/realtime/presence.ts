import { z } from "zod";
import { describeError, log } from "@/lib/log";
import type { Socket } from "socket.io";
import {
  rooms,
  type ClientToServerEvents,
  type InterServerEvents,
  type PresenceEvent,
  type ServerToClientEvents,
  type SocketData,
} from "./events";
import type { ParleyIo } from "./publish";

const viewPayload = z.object({ conversationId: z.uuid().nullable() });
const typingPayload = z.object({ conversationId: z.uuid(), typing: z.boolean() });

type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface PresenceOptions {
  /** Membership check: a socket may only watch conversations of its inboxes. */
  canView: (userId: string, conversationId: string) => Promise<boolean>;
}

/**
 * Who has a conversation open and who is typing in it. State lives on each socket's `data`, and
 * the room's sockets are read with fetchSockets(), so with the Redis adapter presence is shared
 * across instances.
 */
export async function broadcastPresence(io: ParleyIo, conversationId: string): Promise<void> {
  const sockets = await io.in(rooms.conversation(conversationId)).fetchSockets();
  const viewers = new Map<string, string>();
  const typing = new Map<string, string>();
  for (const socket of sockets) {
    const { userId, userName, viewing, typingIn } = socket.data;
    if (!userId || viewing !== conversationId) continue;
    viewers.set(userId, userName ?? "");
    if (typingIn === conversationId) typing.set(userId, userName ?? "");
  }
  const event: PresenceEvent = {
    conversationId,
    viewers: [...viewers].map(([userId, name]) => ({ userId, name })),
    typing: [...typing].map(([userId, name]) => ({ userId, name })),
  };
  io.to(rooms.conversation(conversationId)).emit("presence", event);
}

export function registerPresence(io: ParleyIo, socket: ParleySocket, options: PresenceOptions): void {
  const refuse = (event: string, reason: string) =>
    log.warn("socket event refused", { event, reason, userId: socket.data.userId });
  // Socket.IO runs a socket's handlers concurrently; chained, "typing" sent right after "view"
  // waits for that view's membership check instead of being refused as "not viewing".
  let settled: Promise<void> = Promise.resolve();
  const inOrder = (work: () => Promise<void>) => {
    settled = settled
      .then(work)
      .catch((error: unknown) => log.error("presence handler failed", describeError(error)));
  };

  socket.on("presence.view", (payload) =>
    inOrder(async () => {
      const parsed = viewPayload.safeParse(payload);
      const userId = socket.data.userId;
      if (!parsed.success || !userId)
        return refuse("presence.view", parsed.success ? "no user" : "bad payload");
      const previous = socket.data.viewing;
      const next = parsed.data.conversationId;
      if (previous === next) return;
      if (next && !(await options.canView(userId, next)))
        return refuse("presence.view", "not a member of that inbox");
      // Gone while the check ran: joining now would leave its id behind in the room.
      if (socket.disconnected) return;

      socket.data.viewing = next ?? undefined;
      socket.data.typingIn = undefined;
      if (previous) {
        await socket.leave(rooms.conversation(previous));
        await broadcastPresence(io, previous);
      }
      if (next) {
        await socket.join(rooms.conversation(next));
        await broadcastPresence(io, next);
      }
    }),
  );

  socket.on("presence.typing", (payload) =>
    inOrder(async () => {
      const parsed = typingPayload.safeParse(payload);
      if (!parsed.success) return refuse("presence.typing", "bad payload");
      const { conversationId, typing } = parsed.data;
      if (socket.data.viewing !== conversationId)
        return refuse("presence.typing", "not viewing that conversation");
      const current = socket.data.typingIn === conversationId;
      if (current === typing) return;
      socket.data.typingIn = typing ? conversationId : undefined;
      await broadcastPresence(io, conversationId);
    }),
  );

  socket.on("disconnect", () =>
    inOrder(async () => {
      const viewing = socket.data.viewing;
      if (viewing) await broadcastPresence(io, viewing);
    }),
  );
}
