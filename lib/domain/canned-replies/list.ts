import { and, asc, eq, ilike, inArray, isNull, or, type SQL } from "drizzle-orm";
import { cannedReplies, inboxMembers, type CannedReply } from "@/lib/db/schema";
import { escapeLike } from "@/lib/db/like";
import { requirePermission, type Ctx } from "../context";
import { listCannedRepliesInput, type ListCannedRepliesInput } from "./schemas";

/** Global replies plus those of the inboxes the actor belongs to, matched by shortcut, title or text. */
export async function listCannedReplies({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ListCannedRepliesInput;
}): Promise<CannedReply[]> {
  requirePermission(ctx.actor, "canned_replies.read");
  const query = listCannedRepliesInput.parse(input);

  const memberInboxes =
    ctx.actor.kind === "system"
      ? undefined
      : ctx.db
          .select({ inboxId: inboxMembers.inboxId })
          .from(inboxMembers)
          .where(eq(inboxMembers.userId, ctx.actor.userId));
  const inScope: SQL | undefined = memberInboxes
    ? or(isNull(cannedReplies.inboxId), inArray(cannedReplies.inboxId, memberInboxes))
    : undefined;
  const forInbox = query.inboxId
    ? or(isNull(cannedReplies.inboxId), eq(cannedReplies.inboxId, query.inboxId))
    : undefined;
  const pattern = query.q ? `%${escapeLike(query.q)}%` : undefined;
  const matches = pattern
    ? or(
        ilike(cannedReplies.shortcut, pattern),
        ilike(cannedReplies.title, pattern),
        ilike(cannedReplies.body, pattern),
      )
    : undefined;

  return ctx.db
    .select()
    .from(cannedReplies)
    .where(and(inScope, forInbox, matches))
    .orderBy(asc(cannedReplies.shortcut), asc(cannedReplies.id))
    .limit(200);
}
