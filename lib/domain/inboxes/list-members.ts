import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { inboxMembers, users } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";

export const listInboxMembersInput = z.object({ inboxId: z.uuid({ message: "inboxId must be a UUID" }) });
export type ListInboxMembersInput = z.input<typeof listInboxMembersInput>;

/** The active teammates of an inbox the actor belongs to: whom a conversation can be assigned to. */
export async function listInboxMembers({ ctx, input }: { ctx: Ctx; input: ListInboxMembersInput }) {
  requirePermission(ctx.actor, "conversations.read");
  const { inboxId } = listInboxMembersInput.parse(input);
  if (ctx.actor.kind === "user") {
    const [membership] = await ctx.db
      .select({ inboxId: inboxMembers.inboxId })
      .from(inboxMembers)
      .where(and(eq(inboxMembers.inboxId, inboxId), eq(inboxMembers.userId, ctx.actor.userId)));
    if (!membership) throw new NotFoundError("That inbox does not exist or you are not a member of it.");
  }
  return ctx.db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(inboxMembers)
    .innerJoin(users, eq(users.id, inboxMembers.userId))
    .where(and(eq(inboxMembers.inboxId, inboxId), eq(users.status, "active")))
    .orderBy(asc(users.name));
}
