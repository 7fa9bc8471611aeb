import { and, asc, eq } from "drizzle-orm";
import { contacts, conversationLabels, conversations, inboxes, labels, users } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { conversationSlaOf } from "./list";
import { NotFoundError } from "../errors";
import { visibleConversations } from "./scope";
import { conversationIdInput, type ConversationIdInput } from "./schemas";

/** One conversation with its contact, inbox, assignee and labels; 404 outside the actor's inboxes. */
export async function getConversation({ ctx, input }: { ctx: Ctx; input: ConversationIdInput }) {
  requirePermission(ctx.actor, "conversations.read");
  const { conversationId } = conversationIdInput.parse(input);

  const [row] = await ctx.db
    .select({
      conversation: conversations,
      contact: {
        id: contacts.id,
        name: contacts.profileName,
        waId: contacts.waId,
        waUserId: contacts.waUserId,
        phone: contacts.phone,
        anonymizedAt: contacts.anonymizedAt,
        createdAt: contacts.createdAt,
      },
      inbox: { id: inboxes.id, name: inboxes.name, displayPhoneNumber: inboxes.displayPhoneNumber },
      assigneeName: users.name,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .where(and(eq(conversations.id, conversationId), visibleConversations(ctx.db, ctx.actor)));
  if (!row) throw new NotFoundError("That conversation does not exist or is not in your inboxes.");

  const attached = await ctx.db
    .select({ id: labels.id, name: labels.name, color: labels.color })
    .from(conversationLabels)
    .innerJoin(labels, eq(labels.id, conversationLabels.labelId))
    .where(eq(conversationLabels.conversationId, conversationId))
    .orderBy(asc(labels.name));

  const { conversation } = row;
  return {
    ...conversation,
    contact: row.contact,
    inbox: row.inbox,
    assignee: conversation.assigneeId ? { id: conversation.assigneeId, name: row.assigneeName ?? "" } : null,
    labels: attached,
    sla: conversationSlaOf(conversation),
  };
}

export type ConversationDetail = Awaited<ReturnType<typeof getConversation>>;
