import { z } from "zod";
import { conversationStatuses } from "@/lib/db/schema";
import { slaStates } from "@/lib/sla/state";

export const conversationViews = ["all", "mine", "unassigned"] as const;

export const conversationSorts = ["waiting", "recent"] as const;

export const listConversationsInput = z.object({
  view: z.enum(conversationViews).default("all"),
  /** waiting: longest-waiting customers first, then the rest by recent activity. */
  sort: z.enum(conversationSorts).default("waiting"),
  q: z.string().trim().max(100, "q must be at most 100 characters").optional(),
  labelId: z.uuid({ message: "labelId must be a UUID" }).optional(),
  status: z.enum(conversationStatuses).optional(),
  inboxId: z.uuid({ message: "inboxId must be a UUID" }).optional(),
  /** Conversations whose running response clock is in this state now. */
  sla: z.enum(slaStates, { message: "sla must be on_track, at_risk or breached" }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce
    .number({ message: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be between 1 and 100")
    .max(100, "limit must be between 1 and 100")
    .default(25),
});
export type ListConversationsInput = z.input<typeof listConversationsInput>;

export const setConversationStatusInput = z.object({
  conversationId: z.uuid({ message: "conversationId must be a UUID" }),
  status: z.enum(conversationStatuses, { message: "status must be open, pending or resolved" }),
});
export type SetConversationStatusInput = z.input<typeof setConversationStatusInput>;

/**
 * Keyset cursor: the sort key of the last row of the previous page. `segment` is "waiting" while
 * walking customers who wait for an answer (by waiting_since), "recent" for the rest.
 */
const cursorSchema = z.object({
  at: z.iso.datetime(),
  id: z.uuid(),
  s: z.enum(["waiting", "recent"]).default("recent"),
});
export type ConversationCursor = { at: Date; id: string; segment?: "waiting" | "recent" };

export function encodeConversationCursor(cursor: ConversationCursor): string {
  const payload = { at: cursor.at.toISOString(), id: cursor.id, s: cursor.segment ?? "recent" };
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

export function decodeConversationCursor(value: string): Required<ConversationCursor> | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success
      ? { at: new Date(parsed.data.at), id: parsed.data.id, segment: parsed.data.s }
      : undefined;
  } catch {
    return undefined;
  }
}

export const assignConversationInput = z.object({
  conversationId: z.uuid({ message: "conversationId must be a UUID" }),
  /** null unassigns. */
  assigneeId: z.uuid({ message: "assigneeId must be a UUID or null" }).nullable(),
});
export type AssignConversationInput = z.input<typeof assignConversationInput>;

export const conversationIdInput = z.object({
  conversationId: z.uuid({ message: "conversationId must be a UUID" }),
});
export type ConversationIdInput = z.input<typeof conversationIdInput>;

export const listMessagesInput = z.object({
  conversationId: z.uuid({ message: "conversationId must be a UUID" }),
  /** Cursor from the previous page: returns messages before it ("load earlier"). */
  before: z.string().max(200).optional(),
  limit: z.coerce
    .number({ message: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be between 1 and 100")
    .max(100, "limit must be between 1 and 100")
    .default(50),
});
export type ListMessagesInput = z.input<typeof listMessagesInput>;

export const conversationLabelInput = z.object({
  conversationId: z.uuid({ message: "conversationId must be a UUID" }),
  labelId: z.uuid({ message: "labelId must be a UUID" }),
});
export type ConversationLabelInput = z.input<typeof conversationLabelInput>;

export const addNoteInput = z.object({
  conversationId: z.uuid({ message: "conversationId must be a UUID" }),
  body: z
    .string()
    .trim()
    .min(1, "A note cannot be empty.")
    .max(4096, "A note must be at most 4096 characters."),
});
export type AddNoteInput = z.input<typeof addNoteInput>;
