import { z } from "zod";

const shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "shortcut must be 1–40 lower-case letters, digits or dashes");
const title = z.string().trim().min(1, "title is required").max(80, "title must be at most 80 characters");
const body = z.string().trim().min(1, "body is required").max(4096, "body must be at most 4096 characters");

export const listCannedRepliesInput = z.object({
  inboxId: z.uuid({ message: "inboxId must be a UUID" }).optional(),
  q: z.string().trim().max(100, "q must be at most 100 characters").optional(),
});
export type ListCannedRepliesInput = z.input<typeof listCannedRepliesInput>;

export const createCannedReplyInput = z.object({
  inboxId: z.uuid({ message: "inboxId must be a UUID" }).nullable().default(null),
  shortcut,
  title,
  body,
});
export type CreateCannedReplyInput = z.input<typeof createCannedReplyInput>;

export const updateCannedReplyInput = z
  .object({
    id: z.uuid({ message: "id must be a UUID" }),
    shortcut: shortcut.optional(),
    title: title.optional(),
    body: body.optional(),
  })
  .strict();
export type UpdateCannedReplyInput = z.input<typeof updateCannedReplyInput>;

export const deleteCannedReplyInput = z.object({ id: z.uuid({ message: "id must be a UUID" }) });
export type DeleteCannedReplyInput = z.input<typeof deleteCannedReplyInput>;
