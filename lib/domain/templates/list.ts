import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { inboxMembers, templates, type Template } from "@/lib/db/schema";
import { requirePermission, userCan, type Ctx } from "../context";
import { listTemplatesInput, type ListTemplatesInput } from "./schemas";

/** Templates of the inboxes the actor works in (every inbox for those who manage templates). */
export async function listTemplates({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ListTemplatesInput;
}): Promise<Template[]> {
  requirePermission(ctx.actor, "templates.read");
  const query = listTemplatesInput.parse(input);

  const filters: SQL[] = [];
  if (ctx.actor.kind === "user" && !userCan(ctx.actor, "templates.manage")) {
    filters.push(
      inArray(
        templates.inboxId,
        ctx.db
          .select({ inboxId: inboxMembers.inboxId })
          .from(inboxMembers)
          .where(eq(inboxMembers.userId, ctx.actor.userId)),
      ),
    );
  }
  if (query.inboxId) filters.push(eq(templates.inboxId, query.inboxId));
  if (query.status) filters.push(eq(templates.status, query.status));
  return ctx.db
    .select()
    .from(templates)
    .where(and(...filters))
    .orderBy(asc(templates.name), asc(templates.language));
}
