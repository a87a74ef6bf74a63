"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Card } from "@/components/ui/card";
import { Field, FormAlert } from "@/components/ui/form";
import { smsResetAction } from "../password-reset-actions";
import { NewPasswordFields, PasswordChanged } from "../reset-password/reset-password-form";

/** The code's step of "forgot password" by SMS: shown for any address (a code went out only to a verified phone). */
export function SmsResetForm({ email }: { email: string }) {
  const t = useTranslations("passwordReset");
  const [state, action] = useActionState(smsResetAction, null);
  if (state?.ok) return <PasswordChanged />;
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-2xl font-semibold tracking-tight">{t("smsTitle")}</h1>
      <p className="mt-1 text-sm text-slate-600" role="status">
        {t("smsText", { email })}
      </p>
      <form action={action} className="mt-6 flex flex-col gap-4" noValidate>
        <input type="hidden" name="email" value={email} />
        <FormAlert state={state} />
        <Field label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code" required autoFocus state={state} />
        <NewPasswordFields state={state} />
      </form>
      <p className="mt-6 text-center text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-600 hover:text-brand-700">
          {t("forgot")}
        </Link>
      </p>
    </Card>
  );
}
