import type { ConversationEvent, ConversationStatus, Message } from "@/lib/db/schema";

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
}

/** A message as browsers receive it: dates as ISO strings, exactly as the JSON API returns them. */
export type MessageDto = Omit<Message, "createdAt" | "statusUpdatedAt"> & {
  createdAt: string;
  statusUpdatedAt: string | null;
};

export function toMessageDto(message: Message): MessageDto {
  return {
    ...message,
    createdAt: message.createdAt.toISOString(),
    statusUpdatedAt: message.statusUpdatedAt?.toISOString() ?? null,
  };
}

export type ConversationEventDto = Omit<ConversationEvent, "createdAt"> & {
  createdAt: string;
  inboxId: string;
};

/** Events the server sends to browsers. */
export interface ServerToClientEvents {
  "conversation.changed": (event: ConversationChangedEvent) => void;
  "message.created": (event: MessageDto) => void;
  "conversation.event": (event: ConversationEventDto) => void;
  "session.ended": (event: { reason: string }) => void;
}

/** Events browsers send; each payload is parsed with zod before use. */
export interface ClientToServerEvents {
  ping: (ack: (reply: { at: string }) => void) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  userId?: string;
}
