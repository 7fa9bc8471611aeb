import { z } from "zod";

export const privacySettingsInput = z
  .object({
    retentionDays: z
      .number({ message: "retentionDays must be a whole number of days, or null to keep contents" })
      .int("retentionDays must be a whole number of days")
      .min(1, "retentionDays must be at least 1")
      .max(36_500, "retentionDays must be at most 36500 (100 years)")
      .nullable()
      .optional(),
    keepMaskedOriginals: z.boolean({ message: "keepMaskedOriginals must be true or false" }).optional(),
    maskedOriginalDays: z
      .number({ message: "maskedOriginalDays must be a whole number of days" })
      .int("maskedOriginalDays must be a whole number of days")
      .min(1, "maskedOriginalDays must be at least 1")
      .max(365, "maskedOriginalDays must be at most 365")
      .optional(),
  })
  .strict();
export type PrivacySettingsInput = z.input<typeof privacySettingsInput>;

export const retentionRunInput = z.object({}).strict();
