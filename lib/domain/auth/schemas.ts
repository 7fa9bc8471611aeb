import { z } from "zod";

export const signInInput = z.object({
  email: z
    .string({ message: "email is required" })
    .trim()
    .toLowerCase()
    .min(1, "email is required")
    .max(320, "email is too long"),
  password: z.string({ message: "password is required" }).min(1, "password is required").max(1024),
  code: z
    .string()
    .trim()
    .max(64, "code is too long")
    .optional()
    .transform((value) => (value === "" ? undefined : value)),
});
export type SignInInput = z.input<typeof signInInput>;

export const confirmEnrolmentInput = z
  .object({
    code: z
      .string({ message: "code is required" })
      .trim()
      .regex(/^\d{6}$/, "code must be 6 digits"),
  })
  .strict();
export type ConfirmEnrolmentInput = z.input<typeof confirmEnrolmentInput>;
