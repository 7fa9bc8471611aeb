import { eq, sql } from "drizzle-orm";
import { inboxes, templates } from "@/lib/db/schema";
import { defaultGraphClient } from "@/lib/whatsapp/default-client";
import type { GraphClient } from "@/lib/whatsapp/graph-client";
import { templateDefinitionSchema, templateFromDefinition } from "@/lib/whatsapp/templates";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { InvalidInputError, NotFoundError, UpstreamError } from "../errors";
import { syncTemplatesInput, type SyncTemplatesInput } from "./schemas";

/**
 * Brings an inbox's templates in line with its WhatsApp Business Account: every template Meta
 * lists is added or updated (status, category, body). Templates only Parley knows are kept.
 */
export async function syncTemplates({
  ctx,
  input,
  graph = defaultGraphClient(),
}: {
  ctx: Ctx;
  input: SyncTemplatesInput;
  graph?: GraphClient;
}) {
  requirePermission(ctx.actor, "templates.manage");
  const { inboxId } = syncTemplatesInput.parse(input);
  const [inbox] = await ctx.db.select().from(inboxes).where(eq(inboxes.id, inboxId));
  if (!inbox) throw new NotFoundError("That inbox does not exist.");
  if (!inbox.wabaId) {
    throw new InvalidInputError("This inbox has no WhatsApp Business Account id to read templates from.");
  }

  const listed = await graph.listTemplates(inbox.wabaId);
  if (!listed.ok) throw new UpstreamError(`WhatsApp did not list the templates: ${listed.title}`);
  const skipped: string[] = [];
  const usable = listed.value.flatMap((raw) => {
    const definition = templateDefinitionSchema.safeParse(raw);
    if (!definition.success) {
      skipped.push("a template Parley could not read");
      return [];
    }
    const imported = templateFromDefinition(definition.data);
    if (!imported.ok) {
      skipped.push(imported.reason);
      return [];
    }
    return [imported.template];
  });

  const synced = await inTransaction(ctx, async (tx) => {
    for (const template of usable) {
      await tx
        .insert(templates)
        .values({ ...template, inboxId, createdAt: ctx.now, updatedAt: ctx.now })
        .onConflictDoUpdate({
          target: [templates.inboxId, templates.name, templates.language],
          set: {
            category: sql`excluded.category`,
            status: sql`excluded.status`,
            parameterFormat: sql`excluded.parameter_format`,
            body: sql`excluded.body`,
            parameters: sql`excluded.parameters`,
            components: sql`excluded.components`,
            externalId: sql`excluded.external_id`,
            updatedAt: ctx.now,
          },
        });
    }
    await recordAudit(tx, ctx, {
      action: "templates.synced",
      targetType: "inbox",
      targetId: inboxId,
      details: { synced: usable.length, skipped: skipped.length },
    });
    return usable.length;
  });
  return { synced, skipped };
}
