import { z } from "zod";

const contactId = z.uuid({ message: "contactId must be a UUID" });

export const contactIdInput = z.object({ contactId });
export type ContactIdInput = z.input<typeof contactIdInput>;

export const correctContactInput = z
  .object({
    contactId,
    profileName: z
      .string({ message: "profileName must be text" })
      .trim()
      .min(1, "profileName cannot be empty; send null to clear it")
      .max(200, "profileName must be at most 200 characters")
      .nullable()
      .optional(),
    phone: z
      .string({ message: "phone must be text, e.g. +7 912 345-67-89" })
      .trim()
      .max(40, "phone must be at most 40 characters")
      .nullable()
      .optional(),
    reason: z.string().trim().max(500, "reason must be at most 500 characters").optional(),
  })
  .strict()
  .refine((value) => value.profileName !== undefined || value.phone !== undefined, {
    message: "Send profileName or phone to correct.",
  });
export type CorrectContactInput = z.input<typeof correctContactInput>;

export const exportFormats = ["json", "html"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportContactInput = z.object({
  contactId,
  format: z.enum(exportFormats, { message: "format must be json or html" }).default("json"),
  reason: z.string().trim().max(500, "reason must be at most 500 characters").optional(),
});
export type ExportContactInput = z.input<typeof exportContactInput>;

/** The word an admin types to confirm an erasure, so it never happens by a stray click. */
export const ERASE_CONFIRMATION = "ERASE";

export const eraseContactInput = z
  .object({
    contactId,
    confirmation: z.literal(ERASE_CONFIRMATION, {
      message: `Type ${ERASE_CONFIRMATION} to confirm: erasure cannot be undone.`,
    }),
    reason: z
      .string({ message: "reason is required: say why (e.g. the customer's request of 2026-11-20)" })
      .trim()
      .min(3, "reason is required: say why (e.g. the customer's request of 2026-11-20)")
      .max(500, "reason must be at most 500 characters"),
  })
  .strict();
export type EraseContactInput = z.input<typeof eraseContactInput>;
