import type { ConversationStatus } from "@/lib/db/schema";

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

/** Events the server sends to browsers. */
export interface ServerToClientEvents {
  "conversation.changed": (event: ConversationChangedEvent) => void;
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
