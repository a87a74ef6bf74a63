"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { checkSmsBalanceAction, sendTestSmsAction } from "@/app/(cabinet)/settings/sms/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import type { BalanceAnswer, TestSendAnswer } from "@/lib/messaging/provider-checks";
import type { SmsProviderId } from "@/lib/validations/messaging";
import { ProviderAnswer } from "./sms-provider-answer";

/** "Check balance" and "Send test SMS", both against the saved settings, each showing the provider's answer. */
export function SmsCheckPanel({ provider }: { provider: SmsProviderId }) {
  const t = useTranslations("messaging.check");
  const [balance, balanceAction] = useActionState(checkSmsBalanceAction, null);
  const [test, testAction] = useActionState(sendTestSmsAction, null);
  const balanceAnswer = balance?.ok ? (balance.data as BalanceAnswer) : null;
  const testAnswer = test?.ok ? (test.data as TestSendAnswer) : null;
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("title")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t(provider === "console" ? "helpConsole" : "help")}</p>
      <form action={balanceAction} className="mt-4 flex flex-col gap-3">
        <FormAlert state={balance} />
        <div>
          <SubmitButton variant="secondary" pendingLabel={t("checking")}>
            {t("balance")}
          </SubmitButton>
        </div>
        {balanceAnswer && <ProviderAnswer answer={balanceAnswer} />}
      </form>
      <form action={testAction} className="mt-5 flex flex-col gap-3 border-t border-slate-100 pt-5" noValidate>
        <FormAlert state={test} />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
          <Field label={t("phone")} name="phone" type="tel" inputMode="tel" autoComplete="off" hint={t("phoneHint")} state={test} className="sm:w-72" />
          <SubmitButton variant="secondary" pendingLabel={t("sending")} className="sm:mt-7">
            {t("sendSms")}
          </SubmitButton>
        </div>
        {testAnswer && <ProviderAnswer answer={testAnswer} />}
      </form>
    </Card>
  );
}
