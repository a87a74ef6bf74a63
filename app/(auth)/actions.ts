"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import type { ActionResult } from "@/lib/actions/result";
import { formDataToObject, keptValues } from "@/lib/actions/staff-action";
import { findUserByEmail } from "@/lib/auth/authenticate";
import { signIn, signOut } from "@/lib/auth/next-auth";
import { safeNext } from "@/lib/auth/redirect";
import { AppError } from "@/lib/errors";
import { rememberLocale } from "@/lib/i18n/locale";
import { createMerchantWithOwner } from "@/lib/merchants";
import { dispatchOutbox } from "@/lib/outbox";
import { signInSchema, signUpSchema } from "@/lib/validations/auth";
import { isLocale } from "@/i18n/config";

function fieldErrorsOf(issues: { path: PropertyKey[]; message: string }[]) {
  const out: Record<string, string> = {};
  for (const i of issues) out[String(i.path[0] ?? "_form")] ??= i.message;
  return out;
}


async function startSession(email: string, password: string): Promise<ActionResult | null> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return null;
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    const code = "code" in err && typeof err.code === "string" ? err.code : "invalid";
    if (code.startsWith("throttled")) {
      const minutes = Math.max(1, Math.ceil(Number(code.split(":")[1] ?? 900) / 60));
      return { ok: false, code: "rate_limited", error: "auth.throttled", params: { minutes } };
    }
    return { ok: false, code: "unauthorized", error: code === "inactive" ? "auth.inactive" : "auth.invalid" };
  }
}

export async function signInAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const raw = formDataToObject(formData);
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, code: "validation", error: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error.issues), values: keptValues(raw) };
  const refused = await startSession(parsed.data.email, parsed.data.password);
  if (refused) return { ...refused, values: keptValues(raw) } as ActionResult;
  const user = await findUserByEmail(getDb(), parsed.data.email);
  if (user && isLocale(user.locale)) await rememberLocale(user.locale);
  redirect(safeNext(formData.get("next")));
}

export async function signUpAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const raw = formDataToObject(formData);
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, code: "validation", error: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error.issues), values: keptValues(raw) };
  try {
    const { outboxIds } = await createMerchantWithOwner(getDb(), parsed.data);
    await dispatchOutbox(outboxIds);
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, error: err.message, fieldErrors: err.fieldErrors, values: keptValues(raw) };
    throw err;
  }
  const refused = await startSession(parsed.data.email, parsed.data.password);
  if (refused) return refused;
  redirect("/dashboard");
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
