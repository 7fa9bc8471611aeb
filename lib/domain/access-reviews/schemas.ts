import { z } from "zod";

export const accessDecisions = ["confirm", "revoke"] as const;

export const reviewAccessInput = z
  .object({
    userId: z.uuid({ message: "userId must be a UUID" }),
    decision: z.enum(accessDecisions, { message: "decision must be confirm or revoke" }),
  })
  .strict();
export type ReviewAccessInput = z.input<typeof reviewAccessInput>;
