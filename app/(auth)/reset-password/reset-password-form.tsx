"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions/result";
import { resetPasswordAction } from "../password-reset-actions";

/** The end of a password reset, by link or by SMS code: done, and the way to sign in. */
export function PasswordChanged() {
  const t = useTranslations("passwordReset");
  const auth = useTranslations("auth");
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-2xl font-semibold tracking-tight">{t("newTitle")}</h1>
      <p role="status" className="mt-2 text-sm text-emerald-800">
        {t("done")}
      </p>
      <p className="mt-6 text-center text-sm">
        <Link href="/sign-in" className="font-medium text-brand-600 hover:text-brand-700">
          {auth("signIn")}
        </Link>
      </p>
    </Card>
  );
}

/** The new password twice and the save button, as both resets ask for them. */
export function NewPasswordFields({ state }: { state: ActionResult | null }) {
  const t = useTranslations("passwordReset");
  const auth = useTranslations("auth");
  return (
    <>
      <Field label={t("newPassword")} name="newPassword" type="password" autoComplete="new-password" required hint={auth("passwordRules")} state={state} />
      <Field label={t("confirm")} name="confirmPassword" type="password" autoComplete="new-password" required state={state} />
      <SubmitButton className="mt-2 w-full" pendingLabel={t("saving")}>
        {t("save")}
      </SubmitButton>
    </>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("passwordReset");
  const [state, action] = useActionState(resetPasswordAction, null);
  if (state?.ok) return <PasswordChanged />;
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-2xl font-semibold tracking-tight">{t("newTitle")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("newText")}</p>
      <form action={action} className="mt-6 flex flex-col gap-4" noValidate>
        <input type="hidden" name="token" value={token} />
        <FormAlert state={state} />
        <NewPasswordFields state={state} />
      </form>
    </Card>
  );
}
