import { and, count, desc, eq, inArray, max } from "drizzle-orm";
import { conversations, dataRequests, messages, users, type Contact } from "@/lib/db/schema";
import { userCan, inTransaction, requirePermission, type Ctx } from "../context";
import { recordAudit } from "../audit";
import { contactIdInput, type ContactIdInput } from "./schemas";
import { findVisibleContact } from "./scope";

export interface ContactDetail {
  contact: Contact;
  conversationCount: number;
  messageCount: number;
  lastMessageAt: Date | null;
  requests: { kind: string; reason: string | null; actorName: string | null; createdAt: Date }[];
  /** What the signed-in user may do with this contact, for the panel's buttons. */
  can: { correct: boolean; export: boolean; erase: boolean };
}

/** A contact's details for the contact panel; every opening is in the audit log. */
export async function getContact({ ctx, input }: { ctx: Ctx; input: ContactIdInput }): Promise<ContactDetail> {
  requirePermission(ctx.actor, "contacts.read");
  const { contactId } = contactIdInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    const contact = await findVisibleContact(tx, ctx.actor, contactId);
    const conversationIds = tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.contactId, contactId));
    const [conversationStats] = await tx
      .select({ total: count() })
      .from(conversations)
      .where(eq(conversations.contactId, contactId));
    const [messageStats] = await tx
      .select({ total: count(), last: max(messages.createdAt) })
      .from(messages)
      .where(and(inArray(messages.conversationId, conversationIds), eq(messages.isPrivateNote, false)));
    const requests = await tx
      .select({
        kind: dataRequests.kind,
        reason: dataRequests.reason,
        actorName: users.name,
        createdAt: dataRequests.createdAt,
      })
      .from(dataRequests)
      .leftJoin(users, eq(users.id, dataRequests.actorId))
      .where(eq(dataRequests.contactId, contactId))
      .orderBy(desc(dataRequests.createdAt))
      .limit(20);
    await recordAudit(tx, ctx, { action: "contact.viewed", targetType: "contact", targetId: contactId });
    const erased = contact.anonymizedAt !== null;
    return {
      contact,
      conversationCount: conversationStats?.total ?? 0,
      messageCount: messageStats?.total ?? 0,
      lastMessageAt: messageStats?.last ?? null,
      requests,
      can: {
        correct: !erased && userCan(ctx.actor, "contacts.update"),
        export: userCan(ctx.actor, "contacts.export"),
        erase: !erased && userCan(ctx.actor, "contacts.erase"),
      },
    };
  });
}
