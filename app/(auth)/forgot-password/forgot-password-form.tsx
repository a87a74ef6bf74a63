"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import { forgotPasswordAction } from "../password-reset-actions";
import { SmsResetForm } from "./sms-reset-form";

export function ForgotPasswordForm() {
  const t = useTranslations("passwordReset");
  const auth = useTranslations("auth");
  const [state, action] = useActionState(forgotPasswordAction, null);
  const back = (
    <p className="mt-6 text-center text-sm">
      <Link href="/sign-in" className="font-medium text-brand-600 hover:text-brand-700">
        {t("backToSignIn")}
      </Link>
    </p>
  );
  if (state?.ok && state.data?.via === "sms") return <SmsResetForm email={state.data.email} />;
  if (state?.ok && state.data) {
    return (
      <Card className="p-6 sm:p-8">
        <h1 className="text-2xl font-semibold tracking-tight">{t("sentTitle")}</h1>
        <p className="mt-2 text-sm text-slate-600" role="status">
          {t("sentText", { email: state.data.email })}
        </p>
        {back}
      </Card>
    );
  }
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("text")}</p>
      <form action={action} className="mt-6 flex flex-col gap-4" noValidate>
        <FormAlert state={state} />
        <Field label={auth("email")} name="email" type="email" autoComplete="username" required autoFocus state={state} />
        <SubmitButton className="mt-2 w-full" pendingLabel={t("sending")}>
          {t("send")}
        </SubmitButton>
        <button
          type="submit"
          name="via"
          value="sms"
          className="min-h-10 w-full rounded-lg border border-slate-300 bg-white px-4 text-sm font-medium hover:bg-slate-50"
          data-testid="forgot-sms"
        >
          {t("sendSms")}
        </button>
      </form>
      {back}
    </Card>
  );
}
