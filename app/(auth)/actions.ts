"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import type { ActionResult } from "@/lib/actions/result";
import { formDataToObject, keptValues } from "@/lib/actions/staff-action";
import { findUserByEmail } from "@/lib/auth/authenticate";
import { clientIp } from "@/lib/auth/client-ip";
import { signIn, signOut } from "@/lib/auth/next-auth";
import { safeNext } from "@/lib/auth/redirect";
import { getStaffContext } from "@/lib/auth/session";
import { signOutStaffSession } from "@/lib/staff-security/sessions";
import { confirmSignUp, requestSignUp } from "@/lib/auth/sign-up";
import { AppError } from "@/lib/errors";
import { rememberLocale } from "@/lib/i18n/locale";
import { dispatchOutbox } from "@/lib/outbox";
import { signInSchema, signUpSchema } from "@/lib/validations/auth";
import { fieldErrorsOf } from "@/lib/validations/issues";
import { isLocale } from "@/i18n/config";

type Credentials = { email: string; password: string } | { challenge: string; code: string };

/** Signs in through next-auth (lib/auth/next-auth → lib/staff-security/sign-in); null when a session started. */
async function startSession(credentials: Credentials): Promise<ActionResult<{ challenge?: string }> | null> {
  try {
    await signIn("credentials", { ...credentials, redirect: false });
    return null;
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    const code = "code" in err && typeof err.code === "string" ? err.code : "invalid";
    const challenge = "challenge" in credentials ? credentials.challenge : undefined;
    if (code.startsWith("second_factor:")) return { ok: true, data: { challenge: code.slice("second_factor:".length) } };
    if (code.startsWith("throttled")) {
      const minutes = Math.max(1, Math.ceil(Number(code.split(":")[1] ?? 900) / 60));
      return { ok: false, code: "rate_limited", error: "auth.throttled", params: { minutes }, data: challenge ? { challenge } : undefined };
    }
    if (code === "bad_code")
      return { ok: false, code: "unauthorized", error: "security.signIn.badCode", fieldErrors: { code: "security.signIn.badCode" }, data: { challenge } };
    if (code === "challenge_expired") return { ok: false, code: "unauthorized", error: "security.signIn.challengeExpired" };
    return { ok: false, code: "unauthorized", error: code === "inactive" ? "auth.inactive" : "auth.invalid" };
  }
}

/**
 * Sign-in, one or two steps. Step one (e-mail, password) either starts the session or, for an
 * account with two-factor sign-in, answers `{ ok: true, data: { challenge } }` and the form asks for
 * a code; step two sends the challenge back with the code (from the app or a recovery code).
 */
export async function signInAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const raw = formDataToObject(formData);
  const challenge = formData.get("challenge");
  if (typeof challenge === "string" && challenge) {
    const code = String(formData.get("code") ?? "").trim();
    if (!code || code.length > 32)
      return { ok: false, code: "validation", error: "errors.validation", fieldErrors: { code: "validation.required" }, data: { challenge } };
    const refused = await startSession({ challenge, code });
    if (refused) return refused;
    // A recovery code was spent: Settings → Security says how many are left.
    redirect(/^\d{6}$/.test(code.replace(/\s/g, "")) ? safeNext(formData.get("next")) : "/settings/security?recovery=used");
  }
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, code: "validation", error: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error), values: keptValues(raw) };
  const refused = await startSession(parsed.data);
  if (refused) return refused.ok ? refused : ({ ...refused, values: keptValues(raw) } as ActionResult);
  const user = await findUserByEmail(getDb(), parsed.data.email);
  if (user && isLocale(user.locale)) await rememberLocale(user.locale);
  redirect(safeNext(formData.get("next")));
}

/** Step one of sign-up: the same answer whether or not the e-mail has an account (see lib/auth/sign-up). */
export async function signUpAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult<{ email: string }>> {
  const raw = formDataToObject(formData);
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, code: "validation", error: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error), values: keptValues(raw) };
  try {
    const { outboxIds } = await requestSignUp(getDb(), parsed.data, { ip: clientIp(await headers()) });
    await dispatchOutbox(outboxIds);
  } catch (err) {
    if (err instanceof AppError)
      return { ok: false, code: err.code, error: err.message, fieldErrors: err.fieldErrors, params: err.params, values: keptValues(raw) };
    throw err;
  }
  return { ok: true, data: { email: parsed.data.email } };
}

/** Step two, from the e-mailed link: creates the organisation and signs its owner in. */
export async function confirmSignUpAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const password = formData.get("password");
  if (typeof password !== "string" || password.length === 0 || password.length > 128) {
    return { ok: false, code: "validation", error: "errors.validation", fieldErrors: { password: "validation.required" } };
  }
  let email: string;
  try {
    const { owner, outboxIds } = await confirmSignUp(getDb(), formData.get("token"), password);
    await dispatchOutbox(outboxIds);
    email = owner.email;
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, error: err.message, fieldErrors: err.fieldErrors };
    throw err;
  }
  const refused = await startSession({ email, password });
  if (refused) return refused;
  redirect("/dashboard");
}

export async function signOutAction(): Promise<void> {
  const ctx = await getStaffContext();
  if (ctx?.sessionId) await signOutStaffSession(getDb(), ctx.sessionId);
  await signOut({ redirectTo: "/sign-in" });
}
