import { z } from "zod";
import { userRoles, userStatuses } from "@/lib/db/schema";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password-policy";

const userId = z.uuid({ message: "userId must be a UUID" });
const role = z.enum(userRoles, { message: "role must be admin, supervisor or agent" });
const inboxIds = z
  .array(z.uuid({ message: "inboxIds must be inbox UUIDs" }), {
    message: "inboxIds must be a list of inbox ids",
  })
  .max(200)
  .transform((ids) => [...new Set(ids)]);

export const createUserInput = z
  .object({
    email: z
      .string({ message: "email is required" })
      .trim()
      .toLowerCase()
      .pipe(z.email({ message: "email must be an email address" }).max(320, "email is too long")),
    name: z.string({ message: "name is required" }).trim().min(1, "name is required").max(200),
    role,
    inboxIds: inboxIds.default([]),
    password: z.string().max(PASSWORD_MAX_LENGTH).optional(),
  })
  .strict();
export type CreateUserInput = z.input<typeof createUserInput>;

export const updateUserInput = z
  .object({
    userId,
    role: role.optional(),
    inboxIds: inboxIds.optional(),
    status: z.enum(userStatuses, { message: "status must be active or deactivated" }).optional(),
  })
  .strict()
  .refine((v) => v.role !== undefined || v.inboxIds !== undefined || v.status !== undefined, {
    message: "Nothing to change: send role, inboxIds or status.",
  });
export type UpdateUserInput = z.input<typeof updateUserInput>;

export const userIdInput = z.object({ userId }).strict();
export type UserIdInput = z.input<typeof userIdInput>;

export const changePasswordInput = z
  .object({
    currentPassword: z.string({ message: "currentPassword is required" }).min(1).max(1024),
    newPassword: z.string({ message: "newPassword is required" }).max(PASSWORD_MAX_LENGTH),
  })
  .strict();
export type ChangePasswordInput = z.input<typeof changePasswordInput>;
