import { eq } from "drizzle-orm";
import { templates } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { scanTemplatePlaceholders } from "./render";
import { updateTemplateInput, type UpdateTemplateInput } from "./schemas";

/** Changes a template's status (as Meta reviewed it), category or body. */
export async function updateTemplate({ ctx, input }: { ctx: Ctx; input: UpdateTemplateInput }) {
  requirePermission(ctx.actor, "templates.manage");
  const { templateId, ...changes } = updateTemplateInput.parse(input);
  const scan = changes.body === undefined ? undefined : scanTemplatePlaceholders(changes.body);
  if (scan && !scan.ok) throw new InvalidInputError(scan.problem);

  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .update(templates)
      .set({
        ...changes,
        ...(scan?.ok ? { parameterFormat: scan.format, parameters: scan.parameters } : {}),
        updatedAt: ctx.now,
      })
      .where(eq(templates.id, templateId))
      .returning();
    if (!row) throw new NotFoundError("That template does not exist.");
    await recordAudit(tx, ctx, {
      action: "template.updated",
      targetType: "template",
      targetId: row.id,
      details: { name: row.name, language: row.language, changed: Object.keys(changes) },
    });
    return row;
  });
}
