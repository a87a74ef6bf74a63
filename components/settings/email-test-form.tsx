"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { sendTestEmailAction } from "@/app/(cabinet)/settings/email/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import type { TestSendAnswer } from "@/lib/messaging/provider-checks";
import { ProviderAnswer } from "./sms-provider-answer";

/** "Send test e-mail" through the saved settings, showing the provider's answer. */
export function EmailTestForm() {
  const t = useTranslations("messaging.check");
  const [state, action] = useActionState(sendTestEmailAction, null);
  const answer = state?.ok ? (state.data as TestSendAnswer) : null;
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("titleEmail")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("help")}</p>
      <form action={action} className="mt-4 flex flex-col gap-3" noValidate>
        <FormAlert state={state} />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
          <Field label={t("to")} name="to" type="email" autoComplete="email" hint={t("toHint")} state={state} className="sm:w-80" />
          <SubmitButton variant="secondary" pendingLabel={t("sending")} className="sm:mt-7">
            {t("sendEmail")}
          </SubmitButton>
        </div>
        {answer && <ProviderAnswer answer={answer} />}
      </form>
    </Card>
  );
}
