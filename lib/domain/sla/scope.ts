import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import { inboxMembers, slaEvents } from "@/lib/db/schema";
import type { Actor } from "../context";
import { NotFoundError } from "../errors";

/** Clocks in the actor's inboxes only (membership read on every query), like conversations. */
export function visibleSlaEvents(db: Executor, actor: Actor): SQL {
  if (actor.kind === "system") return sql`true`;
  return inArray(
    slaEvents.inboxId,
    db
      .select({ inboxId: inboxMembers.inboxId })
      .from(inboxMembers)
      .where(eq(inboxMembers.userId, actor.userId)),
  );
}

/** A filter on one inbox must name one of the actor's inboxes; anything else is "not found". */
export async function assertInboxVisible(db: Executor, actor: Actor, inboxId: string | undefined) {
  if (!inboxId || actor.kind === "system") return;
  const [membership] = await db
    .select({ inboxId: inboxMembers.inboxId })
    .from(inboxMembers)
    .where(and(eq(inboxMembers.inboxId, inboxId), eq(inboxMembers.userId, actor.userId)));
  if (!membership) throw new NotFoundError("That inbox does not exist or you are not a member of it.");
}
