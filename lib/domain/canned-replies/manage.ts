import { asc } from "drizzle-orm";
import { cannedReplies, type CannedReply } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { allInboxes, type InboxRef } from "../users/inboxes-of";

/** Every canned reply, global and per inbox, with the inboxes a reply can belong to: the admin page. */
export async function listCannedRepliesToManage({
  ctx,
}: {
  ctx: Ctx;
}): Promise<{ replies: CannedReply[]; inboxes: InboxRef[] }> {
  requirePermission(ctx.actor, "canned_replies.manage");
  const replies = await ctx.db
    .select()
    .from(cannedReplies)
    .orderBy(asc(cannedReplies.shortcut), asc(cannedReplies.id));
  return { replies, inboxes: await allInboxes(ctx.db) };
}
