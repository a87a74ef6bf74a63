"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import type { FormAction } from "@/lib/actions/result";

/** Quiet hours: pushes due then wait until they end (in the merchant's time zone). */
export function QuietHoursForm({ action, quietFrom, quietTo }: { action: FormAction; quietFrom: number | null; quietTo: number | null }) {
  const t = useTranslations("pushEvents");
  const common = useTranslations("common");
  const [state, formAction] = useActionState(action, null);
  return (
    <Card className="mt-6 p-5">
      <form action={formAction} className="flex flex-col gap-4" noValidate>
        <h2 className="text-base font-semibold">{t("quietTitle")}</h2>
        <p className="text-sm text-slate-600">{t("quietText")}</p>
        <FormAlert state={state} success={common("saved")} />
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={t("quietFrom")} name="quietFrom" inputMode="numeric" placeholder="22" defaultValue={quietFrom ?? ""} state={state} />
          <Field label={t("quietTo")} name="quietTo" inputMode="numeric" placeholder="9" defaultValue={quietTo ?? ""} state={state} />
          <div className="flex items-end">
            <SubmitButton pendingLabel={common("saving")}>{common("save")}</SubmitButton>
          </div>
        </div>
      </form>
    </Card>
  );
}
