"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import { signUpAction } from "../actions";

export function SignUpForm() {
  const t = useTranslations("auth");
  const [state, action] = useActionState(signUpAction, null);
  // The same screen for a new address and one that already has an account: the e-mail tells which.
  if (state?.ok) {
    return (
      <Card className="p-6 sm:p-8">
        <h1 className="text-2xl font-semibold tracking-tight">{t("checkEmailTitle")}</h1>
        <p role="status" className="mt-3 text-sm text-slate-600">
          {t("checkEmailText", { email: state.data?.email ?? "" })}
        </p>
        <p className="mt-6 text-center text-sm text-slate-600">
          <Link href="/sign-in" className="font-medium text-brand-600 hover:text-brand-700">
            {t("signIn")}
          </Link>
        </p>
      </Card>
    );
  }
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-2xl font-semibold tracking-tight">{t("signUpTitle")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("signUpSubtitle")}</p>
      <form action={action} className="mt-6 flex flex-col gap-4" noValidate>
        <FormAlert state={state} />
        <Field label={t("organisation")} name="organisation" autoComplete="organization" required autoFocus state={state} />
        <Field label={t("yourName")} name="name" autoComplete="name" required state={state} />
        <Field label={t("email")} name="email" type="email" autoComplete="email" required state={state} />
        <Field label={t("password")} name="password" type="password" autoComplete="new-password" required hint={t("passwordRules")} state={state} />
        <SubmitButton className="mt-2 w-full" pendingLabel={t("creating")}>
          {t("createAccount")}
        </SubmitButton>
      </form>
      <p className="mt-6 text-center text-sm text-slate-600">
        {t("haveAccount")}{" "}
        <Link href="/sign-in" className="font-medium text-brand-600 hover:text-brand-700">
          {t("signIn")}
        </Link>
      </p>
    </Card>
  );
}
