"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";
import type { FormAction } from "@/lib/actions/result";

type Rule = { id: string; kind: string; channel: string; message: string; days: number; hour: number; limitPerCard: number; sent: number };
const KINDS = ["birthday", "inactive", "points_expiring", "welcome", "level_reached"] as const;

/** Triggered messages: one card gets a push or an SMS when something happens to it. */
export function TriggerRules({ rules, createAction, deleteAction }: { rules: Rule[]; createAction: FormAction; deleteAction: FormAction }) {
  const t = useTranslations("pushEvents");
  const [state, formAction] = useActionState(createAction, null);
  return (
    <Card className="mt-6 p-5">
      <h2 className="text-base font-semibold">{t("triggersTitle")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("triggersText")}</p>
      {rules.length > 0 && (
        <ul className="mt-4 divide-y divide-slate-100" data-testid="trigger-rules">
          {rules.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
              <span>
                <strong>{t(`triggerKinds.${r.kind}`)}</strong> · {t(`types.${r.channel === "sms" ? "sms" : "push"}`)} · {r.message}
                <span className="ml-2 text-slate-500">{t("triggerSent", { sent: r.sent })}</span>
              </span>
              <ConfirmButton
                action={deleteAction}
                fields={{ id: r.id }}
                label={t("delete")}
                title={t("deleteTriggerTitle")}
                text={t("deleteTriggerText")}
                confirmLabel={t("delete")}
              />
            </li>
          ))}
        </ul>
      )}
      <form action={formAction} className="mt-4 grid gap-4 sm:grid-cols-3" noValidate>
        <div className="sm:col-span-3">
          <FormAlert state={state} />
        </div>
        <SelectField label={t("triggerKind")} name="kind" options={KINDS.map((k) => ({ value: k, label: t(`triggerKinds.${k}`) }))} state={state} />
        <SelectField
          label={t("channel")}
          name="channel"
          options={[
            { value: "push", label: t("types.push") },
            { value: "sms", label: t("types.sms") },
          ]}
          state={state}
        />
        <Field label={t("message")} name="message" maxLength={500} state={state} />
        <Field label={t("triggerDays")} name="days" inputMode="numeric" hint={t("triggerDaysHint")} state={state} />
        <Field label={t("triggerHour")} name="hour" inputMode="numeric" defaultValue="10" state={state} />
        <Field label={t("triggerLimit")} name="limitPerCard" inputMode="numeric" defaultValue="1" hint={t("triggerLimitHint")} state={state} />
        <div className="sm:col-span-3 flex justify-end">
          <SubmitButton>{t("addTrigger")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
