import type { Server } from "socket.io";
import type {
  ClientToServerEvents,
  InboxEvent,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from "./events";
import { rooms, toMessageDto, toMessageStatusEvent } from "./events";
import { InboxFrames } from "./inbox-frames";
import type {
  ConsentChangedEvent,
  ConversationChangedEvent,
  MessageCreatedEvent,
  SlaBreachedEvent,
  SlaChangedEvent,
  SlaReviewedEvent,
} from "./events";
import type { ConversationEvent, Message } from "@/lib/db/schema";

export type ParleyIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

declare global {
  // Set by server.ts; route bundles reach the same Socket.IO server, and the same per-inbox frame
  // queue (one order for every code path), through them.
  var __parleyIo: ParleyIo | undefined;
  var __parleyInboxFrames: InboxFrames | undefined;
}

export function setRealtimeServer(io: ParleyIo | undefined): void {
  globalThis.__parleyInboxFrames?.flushAll();
  globalThis.__parleyIo = io;
  globalThis.__parleyInboxFrames = io ? new InboxFrames(io) : undefined;
}

function io(): ParleyIo | undefined {
  return globalThis.__parleyIo;
}

/** To every agent socket of the inbox, in publishing order (see InboxFrames). */
function toInbox(inboxId: string, event: InboxEvent): void {
  globalThis.__parleyInboxFrames?.send(inboxId, event);
}

/**
 * Sends the inbox events still waiting for their frame now (tests; at shutdown,
 * `setRealtimeServer(undefined)` does it).
 */
export function flushRealtime(): void {
  globalThis.__parleyInboxFrames?.flushAll();
}

/**
 * The only place that emits to sockets. Call it after the transaction has committed, with
 * what was actually written, so a rolled-back change is never announced.
 */
export const publish = {
  conversationChanged(event: ConversationChangedEvent): void {
    toInbox(event.inboxId, ["conversation.changed", event]);
  },
  /**
   * Private notes go to the inbox's agents like any message; they never leave Parley. The
   * conversation and clock changes it caused go in the same event (see `MessageCreatedEvent`):
   * one event per socket instead of three.
   */
  messageCreated(message: Message, changed: Pick<MessageCreatedEvent, "conversation" | "sla"> = {}): void {
    const event: MessageCreatedEvent = toMessageDto(message);
    if (changed.conversation) event.conversation = changed.conversation;
    if (changed.sla !== undefined) event.sla = changed.sla;
    toInbox(message.inboxId, ["message.created", event]);
  },
  /** A delivery status changed (ticks, or a failure with its reason). */
  messageStatus(message: Message): void {
    toInbox(message.inboxId, ["message.status", toMessageStatusEvent(message)]);
  },
  /** A thread line ("Dana assigned this to Sam"), for the open thread to show without refetching. */
  conversationEvent(event: ConversationEvent, inboxId: string): void {
    toInbox(inboxId, ["conversation.event", { ...event, createdAt: event.createdAt.toISOString(), inboxId }]);
  },

  /**
   * The user's sessions ended (deactivated, password/role/2FA changed, signed out everywhere):
   * tell their open tabs, then close every socket of theirs at once.
   */
  sessionEnded(userId: string, reason = "Your session has ended; sign in again."): void {
    const server = io();
    if (!server) return;
    const room = rooms.user(userId);
    server.to(room).emit("session.ended", { reason });
    server.in(room).disconnectSockets(true);
  },

  /** Inbox membership changed: move the user's open sockets into and out of inbox rooms. */
  membershipChanged(event: { userId: string; added: string[]; removed: string[] }): void {
    const server = io();
    if (!server) return;
    const sockets = server.in(rooms.user(event.userId));
    if (event.removed.length > 0) sockets.socketsLeave(event.removed.map(rooms.inbox));
    if (event.added.length > 0) sockets.socketsJoin(event.added.map(rooms.inbox));
  },
  /** A contact's consent changed: every open composer of their inbox re-checks what it may send. */
  consentChanged(event: ConsentChangedEvent): void {
    toInbox(event.inboxId, ["consent.changed", event]);
  },
  /** A conversation's response clock changed (started, met, stopped, new deadline). */
  slaChanged(event: SlaChangedEvent): void {
    toInbox(event.inboxId, ["sla.changed", event]);
  },
  /** A clock went past due: badges turn red and the inbox's supervisors are alerted. */
  slaBreached(event: SlaBreachedEvent): void {
    toInbox(event.inboxId, ["sla.breached", event]);
  },
  /** The in-app alert, to the given people only (the inbox's supervisors and admins). */
  slaAlert(userIds: string[], event: SlaBreachedEvent): void {
    if (userIds.length === 0) return;
    io()?.to(userIds.map(rooms.user)).emit("sla.alert", event);
  },
  slaReviewed(event: SlaReviewedEvent): void {
    toInbox(event.inboxId, ["sla.reviewed", event]);
  },
};
