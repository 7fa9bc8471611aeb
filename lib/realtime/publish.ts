import type { Server } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "./events";
import { rooms, toMessageDto, toMessageStatusEvent } from "./events";
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
  // Set by server.ts; route bundles reach the same Socket.IO server through it.
  var __parleyIo: ParleyIo | undefined;
}

export function setRealtimeServer(io: ParleyIo | undefined): void {
  globalThis.__parleyIo = io;
}

function io(): ParleyIo | undefined {
  return globalThis.__parleyIo;
}

/**
 * The only place that emits to sockets. Call it after the transaction has committed, with
 * what was actually written, so a rolled-back change is never announced.
 */
export const publish = {
  conversationChanged(event: ConversationChangedEvent): void {
    io()
      ?.to([rooms.inbox(event.inboxId), rooms.conversation(event.conversationId)])
      .emit("conversation.changed", event);
  },
  /**
   * Private notes go to the inbox's agents like any message; they never leave Parley. The
   * conversation and clock changes it caused go in the same frame (see `MessageCreatedEvent`):
   * one write per socket instead of three.
   */
  messageCreated(message: Message, changed: Pick<MessageCreatedEvent, "conversation" | "sla"> = {}): void {
    const event: MessageCreatedEvent = toMessageDto(message);
    if (changed.conversation) event.conversation = changed.conversation;
    if (changed.sla !== undefined) event.sla = changed.sla;
    io()
      ?.to([rooms.inbox(message.inboxId), rooms.conversation(message.conversationId)])
      .emit("message.created", event);
  },
  /** A delivery status changed (ticks, or a failure with its reason). */
  messageStatus(message: Message): void {
    io()
      ?.to([rooms.inbox(message.inboxId), rooms.conversation(message.conversationId)])
      .emit("message.status", toMessageStatusEvent(message));
  },
  /** A thread line ("Dana assigned this to Sam"), for the open thread to show without refetching. */
  conversationEvent(event: ConversationEvent, inboxId: string): void {
    io()
      ?.to([rooms.inbox(inboxId), rooms.conversation(event.conversationId)])
      .emit("conversation.event", { ...event, createdAt: event.createdAt.toISOString(), inboxId });
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
    const targets = [rooms.inbox(event.inboxId)];
    if (event.conversationId) targets.push(rooms.conversation(event.conversationId));
    io()?.to(targets).emit("consent.changed", event);
  },
  /** A conversation's response clock changed (started, met, stopped, new deadline). */
  slaChanged(event: SlaChangedEvent): void {
    io()
      ?.to([rooms.inbox(event.inboxId), rooms.conversation(event.conversationId)])
      .emit("sla.changed", event);
  },
  /** A clock went past due: badges turn red and the inbox's supervisors are alerted. */
  slaBreached(event: SlaBreachedEvent): void {
    io()
      ?.to([rooms.inbox(event.inboxId), rooms.conversation(event.conversationId)])
      .emit("sla.breached", event);
  },
  /** The in-app alert, to the given people only (the inbox's supervisors and admins). */
  slaAlert(userIds: string[], event: SlaBreachedEvent): void {
    if (userIds.length === 0) return;
    io()?.to(userIds.map(rooms.user)).emit("sla.alert", event);
  },
  slaReviewed(event: SlaReviewedEvent): void {
    io()?.to(rooms.inbox(event.inboxId)).emit("sla.reviewed", event);
  },
};
