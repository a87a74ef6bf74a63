"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { changePasswordAction } from "@/app/(cabinet)/settings/security/password-actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";

export function PasswordForm() {
  const t = useTranslations("password");
  const common = useTranslations("common");
  const [state, action] = useActionState(changePasswordAction, null);
  return (
    <Card className="p-5 sm:p-6">
      <form action={action} className="flex flex-col gap-5" noValidate>
        <FormAlert state={state} success={t("changed")} />
        <Field label={t("current")} name="currentPassword" type="password" autoComplete="current-password" required state={state} />
        <Field label={t("new")} name="newPassword" type="password" autoComplete="new-password" required hint={t("rules")} state={state} />
        <Field label={t("confirm")} name="confirmPassword" type="password" autoComplete="new-password" required state={state} />
        <div className="flex justify-end">
          <SubmitButton pendingLabel={common("saving")}>{t("submit")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
