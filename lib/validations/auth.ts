import { z } from "zod";
import { email, password, requiredText } from "./common";

export const signInSchema = z.object({
  email: email(),
  password: z.string().min(1, { error: "validation.required" }).max(128, { error: "validation.tooLong" }),
});

export const signUpSchema = z.object({
  organisation: requiredText(120),
  name: requiredText(120),
  email: email(),
  password: password(),
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, { error: "validation.required" }),
    newPassword: password(),
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { error: "validation.passwordMismatch", path: ["confirmPassword"] })
  .refine((v) => v.newPassword !== v.currentPassword, { error: "validation.passwordSame", path: ["newPassword"] });

export type SignUpInput = z.infer<typeof signUpSchema>;
