import { eq } from "drizzle-orm";
import { templates } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";
import { templateIdInput, type TemplateIdInput } from "./schemas";

/** Removes a template from Parley (messages already sent with it keep their text). */
export async function deleteTemplate({ ctx, input }: { ctx: Ctx; input: TemplateIdInput }) {
  requirePermission(ctx.actor, "templates.manage");
  const { templateId } = templateIdInput.parse(input);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.delete(templates).where(eq(templates.id, templateId)).returning();
    if (!row) throw new NotFoundError("That template does not exist.");
    await recordAudit(tx, ctx, {
      action: "template.deleted",
      targetType: "template",
      targetId: row.id,
      details: { name: row.name, language: row.language },
    });
  });
}
