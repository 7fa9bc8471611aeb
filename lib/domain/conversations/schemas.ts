import { z } from "zod";
import { conversationStatuses } from "@/lib/db/schema";

export const conversationViews = ["all", "mine", "unassigned"] as const;

export const listConversationsInput = z.object({
  view: z.enum(conversationViews).default("all"),
  status: z.enum(conversationStatuses).optional(),
  inboxId: z.uuid({ message: "inboxId must be a UUID" }).optional(),
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

/** Keyset cursor: the sort key of the last row of the previous page. */
const cursorSchema = z.object({ at: z.iso.datetime(), id: z.uuid() });
export type ConversationCursor = { at: Date; id: string };

export function encodeConversationCursor(cursor: ConversationCursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at.toISOString(), id: cursor.id })).toString("base64url");
}

export function decodeConversationCursor(value: string): ConversationCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? { at: new Date(parsed.data.at), id: parsed.data.id } : undefined;
  } catch {
    return undefined;
  }
}
