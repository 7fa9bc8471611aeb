import { z } from "zod";
import type { NewTemplate, TemplateCategory, TemplateStatus } from "@/lib/db/schema";
import { scanTemplatePlaceholders } from "@/lib/domain/templates/render";

/**
 * Meta's description of a message template (GET /{waba-id}/message_templates, and the body of a
 * template creation request), read into what Parley keeps.
 */
export const templateDefinitionSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  name: z.string().min(1),
  language: z.string().min(1),
  category: z.string(),
  status: z.string().optional(),
  parameter_format: z.string().optional(),
  components: z.array(z.object({ type: z.string(), text: z.string().optional() }).loose()),
});
export type TemplateDefinition = z.infer<typeof templateDefinitionSchema>;

const statuses: Record<string, TemplateStatus> = {
  APPROVED: "approved",
  PENDING: "pending",
  IN_APPEAL: "pending",
  REJECTED: "rejected",
  PAUSED: "paused",
  DISABLED: "disabled",
  PENDING_DELETION: "disabled",
  DELETED: "disabled",
  ARCHIVED: "disabled",
  LIMIT_EXCEEDED: "disabled",
};

const categories: Record<string, TemplateCategory> = {
  UTILITY: "utility",
  MARKETING: "marketing",
  AUTHENTICATION: "authentication",
};

export type ImportedTemplate = Omit<NewTemplate, "inboxId" | "id" | "createdAt" | "updatedAt">;

/** The template as Parley stores it, or the reason it cannot be used (no body, odd placeholders…). */
export function templateFromDefinition(
  definition: TemplateDefinition,
): { ok: true; template: ImportedTemplate } | { ok: false; reason: string } {
  const body = definition.components.find((component) => component.type.toLowerCase() === "body")?.text;
  if (!body) return { ok: false, reason: `${definition.name}: no body text` };
  const category = categories[definition.category.toUpperCase()];
  if (!category) return { ok: false, reason: `${definition.name}: unknown category ${definition.category}` };
  const scan = scanTemplatePlaceholders(body);
  if (!scan.ok) return { ok: false, reason: `${definition.name}: ${scan.problem}` };
  return {
    ok: true,
    template: {
      name: definition.name,
      language: definition.language,
      category,
      // A definition without a status is one being submitted: Meta has not approved it yet.
      status: statuses[(definition.status ?? "PENDING").toUpperCase()] ?? "pending",
      parameterFormat: scan.format,
      parameters: scan.parameters,
      body,
      components: definition.components.filter((component) => component.type.toLowerCase() !== "body"),
      externalId: definition.id ?? null,
    },
  };
}
