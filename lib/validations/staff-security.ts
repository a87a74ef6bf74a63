import { z } from "zod";
import { email, password } from "./common";

const currentPassword = z.string().min(1, { error: "validation.required" }).max(128, { error: "validation.tooLong" });

export const confirmWithPasswordSchema = z.object({ password: currentPassword });
export const totpCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { error: "security.errors.codeFormat" }),
});
export const requireTwoFactorSchema = z.object({ required: z.enum(["true", "false"]).transform((v) => v === "true") });
export const sessionIdSchema = z.object({ id: z.uuid({ error: "errors.notFound" }) });
export const forgotPasswordSchema = z.object({ email: email(), via: z.enum(["email", "sms"]).optional().catch(undefined) });
/** "Forgot password" by SMS: the address, the code sent to its verified phone and the new password. */
export const smsResetSchema = z
  .object({
    email: email(),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, { error: "passwordReset.invalidCode" }),
    newPassword: password(),
    confirmPassword: z.string().max(128),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { error: "validation.passwordMismatch", path: ["confirmPassword"] });
export const staffPhoneSchema = z.object({ phone: z.string().trim().min(3).max(32) });
export const staffPhoneCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { error: "security.phone.wrongCode" }),
});
export const resetPasswordSchema = z
  .object({
    token: z.string().min(1).max(200),
    newPassword: password(),
    confirmPassword: z.string().max(128),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { error: "validation.passwordMismatch", path: ["confirmPassword"] });
