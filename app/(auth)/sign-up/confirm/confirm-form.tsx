"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import { confirmSignUpAction } from "../../actions";

export function ConfirmSignUpForm({ token, email, organisation }: { token: string; email: string; organisation: string }) {
  const t = useTranslations("auth");
  const [state, action] = useActionState(confirmSignUpAction, null);
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-2xl font-semibold tracking-tight">{t("confirmTitle")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("confirmText", { organisation, email })}</p>
      <form action={action} className="mt-6 flex flex-col gap-4" noValidate>
        <input type="hidden" name="token" value={token} />
        {/* For password managers: the account this password belongs to. */}
        <input type="hidden" name="username" value={email} autoComplete="username" />
        <FormAlert state={state} />
        <Field label={t("password")} name="password" type="password" autoComplete="current-password" required autoFocus state={state} />
        <SubmitButton className="mt-2 w-full" pendingLabel={t("creating")}>
          {t("confirmButton")}
        </SubmitButton>
      </form>
    </Card>
  );
}
