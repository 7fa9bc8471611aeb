import { z } from "zod";
import { templateCategories, templateStatuses } from "@/lib/db/schema";

const name = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9_]{1,512}$/,
    "name uses lower-case letters, digits and underscores, as in Meta's template name",
  );
const language = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(_[A-Z]{2,3})?$/, "language is Meta's language code, such as en_US or pt_BR");
const body = z
  .string()
  .trim()
  .min(1, "body is required")
  .max(1024, "body must be at most 1024 characters (WhatsApp's limit)");

export const listTemplatesInput = z.object({
  inboxId: z.uuid({ message: "inboxId must be a UUID" }).optional(),
  status: z.enum(templateStatuses).optional(),
});
export type ListTemplatesInput = z.input<typeof listTemplatesInput>;

export const createTemplateInput = z.object({
  inboxId: z.uuid({ message: "inboxId must be a UUID" }),
  name,
  language,
  category: z.enum(templateCategories, { message: "category must be utility, marketing or authentication" }),
  /** What Meta decided; an admin records it until templates are synced from the business account. */
  status: z.enum(templateStatuses).default("approved"),
  body,
});
export type CreateTemplateInput = z.input<typeof createTemplateInput>;

export const updateTemplateInput = z.object({
  templateId: z.uuid({ message: "templateId must be a UUID" }),
  category: z.enum(templateCategories).optional(),
  status: z.enum(templateStatuses).optional(),
  body: body.optional(),
});
export type UpdateTemplateInput = z.input<typeof updateTemplateInput>;

export const templateIdInput = z.object({ templateId: z.uuid({ message: "templateId must be a UUID" }) });
export type TemplateIdInput = z.input<typeof templateIdInput>;

export const syncTemplatesInput = z.object({ inboxId: z.uuid({ message: "inboxId must be a UUID" }) });
export type SyncTemplatesInput = z.input<typeof syncTemplatesInput>;
