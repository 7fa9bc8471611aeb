import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/lib/db";
import {
  contacts,
  conversations,
  inboxes,
  inboxMembers,
  inboxSlaSettings,
  messages,
  users,
  type Conversation,
  type NewContact,
  type NewConversation,
  type NewInbox,
  type NewMessage,
  type NewUser,
} from "@/lib/db/schema";
import type { Actor, Ctx } from "@/lib/domain/context";

let counter = 0;
const next = () => {
  counter += 1;
  return `${counter}${randomUUID().slice(0, 8)}`;
};

export async function createUser(db: Database, overrides: Partial<NewUser> = {}) {
  const n = next();
  const [row] = await db
    .insert(users)
    .values({ name: `User ${n}`, email: `user-${n}@example.test`, role: "agent", ...overrides })
    .returning();
  if (!row) throw new Error("user not created");
  return row;
}

/**
 * An inbox. Its off-hours auto-reply is off unless `offHoursReply: true` (then the product's
 * default applies), so a test's messages do not depend on the hour the suite runs at.
 */
export async function createInbox(
  db: Database,
  { offHoursReply = false, ...overrides }: Partial<NewInbox> & { offHoursReply?: boolean } = {},
) {
  const n = next();
  const [row] = await db
    .insert(inboxes)
    .values({ name: `Inbox ${n}`, phoneNumberId: `pn-${n}`, displayPhoneNumber: `+1 555 ${n}`, ...overrides })
    .returning();
  if (!row) throw new Error("inbox not created");
  if (!offHoursReply)
    await db.insert(inboxSlaSettings).values({ inboxId: row.id, offHoursReplyEnabled: false });
  return row;
}

export async function addMember(db: Database, inboxId: string, userId: string) {
  await db.insert(inboxMembers).values({ inboxId, userId });
}

export async function createContact(db: Database, inboxId: string, overrides: Partial<NewContact> = {}) {
  const n = next();
  const [row] = await db
    .insert(contacts)
    .values({
      inboxId,
      waId: `15550${String(counter).padStart(7, "0")}`,
      profileName: `Customer ${n}`,
      ...overrides,
    })
    .returning();
  if (!row) throw new Error("contact not created");
  return row;
}

/** The conversation of the customer with this wa_id (webhook-created rows have no handle to keep). */
export async function conversationOfCustomer(db: Database, waId: string): Promise<Conversation> {
  const [row] = await db
    .select({ conversation: conversations })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(contacts.waId, waId));
  if (!row) throw new Error(`no conversation for ${waId}`);
  return row.conversation;
}

/** A conversation with its own new contact unless one is given. */
export async function createConversation(
  db: Database,
  inboxId: string,
  overrides: Partial<NewConversation> = {},
) {
  const contactId = overrides.contactId ?? (await createContact(db, inboxId)).id;
  const [row] = await db
    .insert(conversations)
    .values({ inboxId, contactId, status: "open", ...overrides })
    .returning();
  if (!row) throw new Error("conversation not created");
  return row;
}

export async function createMessage(
  db: Database,
  conversation: { id: string; inboxId: string },
  overrides: Partial<NewMessage> = {},
) {
  const [row] = await db
    .insert(messages)
    .values({
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      direction: "inbound",
      authorKind: "contact",
      type: "text",
      body: "Hello",
      wamid: `wamid.test.${next()}`,
      status: "received",
      ...overrides,
    })
    .returning();
  if (!row) throw new Error("message not created");
  return row;
}

export function actorFor(user: { id: string; role: NewUser["role"]; name: string }): Actor {
  return { kind: "user", userId: user.id, role: user.role, name: user.name, via: "session" };
}

export function ctxFor(db: Database, actor: Actor, now: Date = new Date()): Ctx {
  return { db, actor, now };
}
