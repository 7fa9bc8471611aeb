import { and, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { inboxes, inboxMembers } from "@/lib/db/schema";
import type { Actor } from "../context";
import { NotFoundError } from "../errors";

/** The inbox, when the actor is one of its members (others are simply not found). */
export async function requireMemberInbox(tx: Executor, actor: Actor, inboxId: string) {
  const query =
    actor.kind === "system"
      ? tx.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.id, inboxId))
      : tx
          .select({ id: inboxes.id })
          .from(inboxes)
          .innerJoin(
            inboxMembers,
            and(eq(inboxMembers.inboxId, inboxes.id), eq(inboxMembers.userId, actor.userId)),
          )
          .where(eq(inboxes.id, inboxId));
  const [inbox] = await query;
  if (!inbox) throw new NotFoundError("That inbox does not exist or you are not one of its members.");
  return inbox;
}
