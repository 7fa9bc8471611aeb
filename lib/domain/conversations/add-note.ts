import { and, eq } from "drizzle-orm";
import { conversations, messages } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";
import { visibleConversations } from "./scope";
import { addNoteInput, type AddNoteInput } from "./schemas";

/** A private note for teammates: stored in the thread, never sent to WhatsApp, no effect on clocks. */
export async function addNote({ ctx, input }: { ctx: Ctx; input: AddNoteInput }) {
  requirePermission(ctx.actor, "conversations.note");
  const { conversationId, body } = addNoteInput.parse(input);

  const note = await inTransaction(ctx, async (tx) => {
    const [conversation] = await tx
      .select({ id: conversations.id, inboxId: conversations.inboxId })
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), visibleConversations(tx, ctx.actor)));
    if (!conversation) throw new NotFoundError("That conversation does not exist or is not in your inboxes.");
    const [row] = await tx
      .insert(messages)
      .values({
        conversationId,
        inboxId: conversation.inboxId,
        direction: "outbound",
        authorKind: ctx.actor.kind === "user" ? "agent" : "system",
        authorId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
        type: "note",
        body,
        status: "sent",
        isPrivateNote: true,
        createdAt: ctx.now,
      })
      .returning();
    if (!row) throw new Error("insert returned no row");
    return row;
  });

  publish.messageCreated(note);
  return note;
}
