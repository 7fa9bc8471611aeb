import { z } from "zod";

export const createApiTokenInput = z
  .object({ name: z.string({ message: "name is required" }).trim().min(1, "name is required").max(100) })
  .strict();
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;

export const revokeApiTokenInput = z
  .object({ tokenId: z.uuid({ message: "tokenId must be a UUID" }) })
  .strict();
export type RevokeApiTokenInput = z.input<typeof revokeApiTokenInput>;
