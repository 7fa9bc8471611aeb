import { eq } from "drizzle-orm";
import { isUniqueViolation } from "@/lib/db/errors";
import { inboxes, templates } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors";
import { scanTemplatePlaceholders } from "./render";
import { createTemplateInput, type CreateTemplateInput } from "./schemas";

/** Records a template Meta approved (or is reviewing) for one WhatsApp number. */
export async function createTemplate({ ctx, input }: { ctx: Ctx; input: CreateTemplateInput }) {
  requirePermission(ctx.actor, "templates.manage");
  const data = createTemplateInput.parse(input);
  const scan = scanTemplatePlaceholders(data.body);
  if (!scan.ok) throw new InvalidInputError(scan.problem);

  return inTransaction(ctx, async (tx) => {
    const [inbox] = await tx.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.id, data.inboxId));
    if (!inbox) throw new NotFoundError("That inbox does not exist.");
    const [row] = await tx
      .insert(templates)
      .values({
        ...data,
        parameterFormat: scan.format,
        parameters: scan.parameters,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) {
          throw new ConflictError(`This inbox already has a template "${data.name}" in ${data.language}.`);
        }
        throw error;
      });
    if (!row) throw new Error("template insert returned no row");
    await recordAudit(tx, ctx, {
      action: "template.created",
      targetType: "template",
      targetId: row.id,
      details: { name: row.name, language: row.language, status: row.status },
    });
    return row;
  });
}
