import { asc } from "drizzle-orm";
import { z } from "zod";
import { isUniqueViolation } from "@/lib/db/errors";
import { labelColors, labels } from "@/lib/db/schema";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { ConflictError } from "../errors";

export const createLabelInput = z.object({
  name: z.string().trim().min(1, "name is required").max(40, "name must be at most 40 characters"),
  color: z.enum(labelColors, { message: `color must be one of ${labelColors.join(", ")}` }).default("slate"),
});
export type CreateLabelInput = z.input<typeof createLabelInput>;

export async function listLabels({ ctx }: { ctx: Ctx }) {
  requirePermission(ctx.actor, "conversations.read");
  return ctx.db.select().from(labels).orderBy(asc(labels.name));
}

export async function createLabel({ ctx, input }: { ctx: Ctx; input: CreateLabelInput }) {
  requirePermission(ctx.actor, "labels.manage");
  const values = createLabelInput.parse(input);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(labels)
      .values({ ...values, createdAt: ctx.now })
      .returning()
      .catch((error: unknown) => {
        if (isUniqueViolation(error))
          throw new ConflictError(`A label named "${values.name}" already exists.`);
        throw error;
      });
    if (!row) throw new Error("insert returned no row");
    await recordAudit(tx, ctx, {
      action: "label.created",
      targetType: "label",
      targetId: row.id,
      details: values,
    });
    return row;
  });
}
