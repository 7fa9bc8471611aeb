import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { contacts, inboxMembers, type Contact } from "@/lib/db/schema";
import type { Actor } from "../context";
import { NotFoundError } from "../errors";

/** Contacts of the inboxes the actor belongs to; others are simply not found. */
export function visibleContacts(db: Executor, actor: Actor): SQL {
  if (actor.kind === "system") return sql`true`;
  return inArray(
    contacts.inboxId,
    db.select({ inboxId: inboxMembers.inboxId }).from(inboxMembers).where(eq(inboxMembers.userId, actor.userId)),
  );
}

/** The contact, locked for the caller's transaction when `lock` is set; 404 outside the actor's inboxes. */
export async function findVisibleContact(
  db: Executor,
  actor: Actor,
  contactId: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<Contact> {
  const query = db
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, contactId), visibleContacts(db, actor)));
  const [contact] = lock ? await query.for("update") : await query;
  if (!contact) throw new NotFoundError("That contact does not exist or is not in your inboxes.");
  return contact;
}
