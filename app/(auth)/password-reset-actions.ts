"use server";

import { headers } from "next/headers";
import { after } from "next/server";
import { getDb } from "@/db";
import type { ActionResult } from "@/lib/actions/result";
import { formDataToObject, keptValues } from "@/lib/actions/staff-action";
import { clientIp } from "@/lib/auth/client-ip";
import { AppError } from "@/lib/errors";
import { dispatchOutbox } from "@/lib/outbox";
import { requestPasswordReset, resetPassword } from "@/lib/staff-security/password-reset";
import { requestSmsReset, resetPasswordBySms } from "@/lib/staff-security/phone-recovery";
import { forgotPasswordSchema, resetPasswordSchema, smsResetSchema } from "@/lib/validations/staff-security";
import { fieldErrorsOf } from "@/lib/validations/issues";

/** The same answer whether or not the e-mail has an account; the e-mail is sent after the answer, so its time does not show. */
export async function forgotPasswordAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult<{ email: string; via: "email" | "sms" }>> {
  const raw = formDataToObject(formData);
  const parsed = forgotPasswordSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, code: "validation", error: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error), values: keptValues(raw) };
  try {
    const request = parsed.data.via === "sms" ? requestSmsReset : requestPasswordReset;
    const { outboxIds } = await request(getDb(), parsed.data.email, { ip: clientIp(await headers()) });
    after(() => dispatchOutbox(outboxIds));
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, error: err.message, values: keptValues(raw) };
    throw err;
  }
  return { ok: true, data: { email: parsed.data.email, via: parsed.data.via ?? "email" } };
}

/** The SMS code's step: a wrong code, an expired one and an unknown address give the same error. */
export async function smsResetAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const parsed = smsResetSchema.safeParse(formDataToObject(formData));
  if (!parsed.success) return { ok: false, code: "validation", error: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await resetPasswordBySms(getDb(), parsed.data.email, parsed.data.code, parsed.data.newPassword);
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, error: err.message, fieldErrors: err.fieldErrors };
    throw err;
  }
  return { ok: true };
}

export async function resetPasswordAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const parsed = resetPasswordSchema.safeParse(formDataToObject(formData));
  if (!parsed.success) return { ok: false, code: "validation", error: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await resetPassword(getDb(), parsed.data.token, parsed.data.newPassword);
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, error: err.message };
    throw err;
  }
  return { ok: true };
}
