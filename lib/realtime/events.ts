import type { ConversationEvent, ConversationStatus, Message, MessageStatus } from "@/lib/db/schema";
import type { SlaKind } from "@/lib/sla/policy";

/** Room names; publish.ts is the only emitter and the socket server the only joiner. */
export const rooms = {
  inbox: (inboxId: string) => `inbox:${inboxId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  user: (userId: string) => `user:${userId}`,
} as const;

export interface ConversationChangedEvent {
  conversationId: string;
  inboxId: string;
  status: ConversationStatus;
  assigneeId: string | null;
  updatedAt: string;
  /**
   * Since when the customer waits for an answer (null: answered). Always the server's value: an
   * automatic message (off-hours notice, STOP/START confirmation) answers nobody and keeps it.
   */
  waitingSince: string | null;
  /**
   * The list row's last message: the server's preview, which an automatic off-hours notice leaves
   * as the customer's message.
   */
  lastMessageAt: string;
  lastMessagePreview: string | null;
  unreadCount: number;
  windowExpiresAt: string | null;
}

/** A message moved along queued → sent → delivered → read, or failed (with the reason for agents). */
export interface MessageStatusEvent {
  messageId: string;
  conversationId: string;
  inboxId: string;
  wamid: string | null;
  status: MessageStatus;
  errorCode: number | null;
  errorTitle: string | null;
  failureReason: string | null;
  statusUpdatedAt: string | null;
  retriedByMessageId: string | null;
}

export function toMessageStatusEvent(message: Message): MessageStatusEvent {
  return {
    messageId: message.id,
    conversationId: message.conversationId,
    inboxId: message.inboxId,
    wamid: message.wamid,
    status: message.status,
    errorCode: message.errorCode,
    errorTitle: message.errorTitle,
    failureReason: message.failureReason,
    statusUpdatedAt: message.statusUpdatedAt?.toISOString() ?? null,
    retriedByMessageId: message.retriedByMessageId,
  };
}

/** A message as browsers receive it: dates as ISO strings, exactly as the JSON API returns them. */
export type MessageDto = Omit<Message, "createdAt" | "statusUpdatedAt" | "redactedAt"> & {
  createdAt: string;
  statusUpdatedAt: string | null;
  /** Set when an erasure or the retention sweeper removed the contents ("content removed"). */
  redactedAt: string | null;
};

export function toMessageDto(message: Message): MessageDto {
  return {
    ...message,
    createdAt: message.createdAt.toISOString(),
    statusUpdatedAt: message.statusUpdatedAt?.toISOString() ?? null,
    redactedAt: message.redactedAt?.toISOString() ?? null,
  };
}

export type ConversationEventDto = Omit<ConversationEvent, "createdAt"> & {
  createdAt: string;
  inboxId: string;
};

/** A conversation's running response clock as browsers see it (same shape as the JSON API's `sla`). */
export interface SlaClockDto {
  slaEventId: string;
  kind: SlaKind;
  startedAt: string;
  dueAt: string;
  atRiskAt: string;
  breachedAt: string | null;
}

/**
 * A stored message. When storing it also changed its conversation (the customer wrote, an agent
 * replied), the change rides along instead of separate `conversation.changed` / `sla.changed`
 * frames: `conversation` is the row after the change, `sla` the running clock now (null: none;
 * absent: the clock did not change). Clients apply them after the message, as the standalone events.
 */
export type MessageCreatedEvent = MessageDto & {
  conversation?: ConversationChangedEvent;
  sla?: SlaClockDto | null;
};

/** A clock started, was met, stopped or got a new deadline; `sla` is the running clock now (null: none). */
export interface SlaChangedEvent {
  conversationId: string;
  inboxId: string;
  sla: SlaClockDto | null;
}

/** The ticker found a clock past due; supervisors are alerted by it. */
export interface SlaBreachedEvent {
  slaEventId: string;
  conversationId: string;
  inboxId: string;
  inboxName: string;
  kind: SlaKind;
  dueAt: string;
  breachedAt: string;
  contactName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
}

/** A supervisor acknowledged a breach; it leaves every review queue. */
export interface SlaReviewedEvent {
  slaEventId: string;
  conversationId: string;
  inboxId: string;
  reviewedAt: string;
  reviewedBy: string | null;
}

/**
 * Events for an inbox's agents, sent to its room (`inbox:<id>`). Conversation rooms carry presence
 * only: joining one requires membership of its inbox, whose room already has every event.
 */
export interface InboxEvents {
  "conversation.changed": (event: ConversationChangedEvent) => void;
  "message.created": (event: MessageCreatedEvent) => void;
  "message.status": (event: MessageStatusEvent) => void;
  "conversation.event": (event: ConversationEventDto) => void;
  "sla.changed": (event: SlaChangedEvent) => void;
  "sla.breached": (event: SlaBreachedEvent) => void;
  "sla.reviewed": (event: SlaReviewedEvent) => void;
  "consent.changed": (event: ConsentChangedEvent) => void;
}

/** One inbox event as `[name, payload]`, as it travels inside a `batch` frame. */
export type InboxEvent = {
  [Name in keyof InboxEvents]: [Name, Parameters<InboxEvents[Name]>[0]];
}[keyof InboxEvents];

/** Events the server sends to browsers. */
export interface ServerToClientEvents extends InboxEvents {
  /**
   * Several inbox events in one frame, in the order they happened: a large inbox under load gets
   * the events of the last few milliseconds together (lib/realtime/inbox-frames.ts). Clients handle
   * each as if it had come alone.
   */
  batch: (events: InboxEvent[]) => void;
  presence: (event: PresenceEvent) => void;
  "session.ended": (event: { reason: string }) => void;
  /** To one supervisor's (or admin's) own room: a clock in one of their inboxes breached. */
  "sla.alert": (event: SlaBreachedEvent) => void;
}

/** A contact's consent changed (STOP/START, an agent, an import, a web form): composers re-check. */
export interface ConsentChangedEvent {
  contactId: string;
  inboxId: string;
  conversationId: string | null;
  consent: Record<"service" | "marketing", { state: string; since: string | null; source: string | null }>;
}

/** Who has a conversation open, and who is typing in it. */
export interface PresenceEvent {
  conversationId: string;
  viewers: { userId: string; name: string }[];
  typing: { userId: string; name: string }[];
}

/** Events browsers send; each payload is parsed with zod before use. */
export interface ClientToServerEvents {
  ping: (ack: (reply: { at: string }) => void) => void;
  /** The conversation this browser shows now (null: none). */
  "presence.view": (payload: { conversationId: string | null }) => void;
  "presence.typing": (payload: { conversationId: string; typing: boolean }) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  userId?: string;
  userName?: string;
  /** The conversation this socket has open, for presence. */
  viewing?: string;
  /** Set while the agent is typing in `viewing`. */
  typingIn?: string;
}
