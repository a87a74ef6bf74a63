"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { createStockAction, createTillAction, saveTillRulesAction } from "@/app/(cabinet)/settings/tills/actions";
import { ApiKeySecret } from "@/components/settings/api-key-secret";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";
import { API_SCOPES } from "@/lib/validations/api-keys";

type Option = { value: string; label: string };

export function TillCreateForm({ locations }: { locations: Option[] }) {
  const t = useTranslations("till.settings");
  const [state, action] = useActionState(createTillAction, null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = state?.ok ? (state.data as { id: string; name: string; key: string }) : null;
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("create")}</h2>
      {created && dismissed !== created.id && (
        <div className="mt-3" data-testid="till-key">
          <p className="mb-2 text-sm text-slate-600">{t("created")}</p>
          <ApiKeySecret name={created.name} secret={created.key} onDone={() => setDismissed(created.id)} />
        </div>
      )}
      <form action={action} className="mt-4 grid gap-4 sm:grid-cols-2" noValidate>
        <div className="sm:col-span-2">
          <FormAlert state={state} />
        </div>
        <Field label={t("name")} name="name" required maxLength={80} autoComplete="off" state={state} />
        <SelectField label={t("location")} name="locationId" state={state} options={[{ value: "", label: t("noLocation") }, ...locations]} />
        <fieldset className="sm:col-span-2">
          <legend className="text-sm font-medium text-slate-700">{t("scopes")}</legend>
          <div className="mt-2 flex flex-wrap gap-3">
            {API_SCOPES.filter((s) => s.startsWith("pos:") || s === "cards:read" || s === "ledger:read").map((scope) => (
              <label key={scope} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name={`scope.${scope}`} defaultChecked={scope === "pos:write"} className="size-4 accent-brand-600" />
                <span className="font-mono text-xs">{scope}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="flex justify-end sm:col-span-2">
          <SubmitButton>{t("create")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}

type Rules = {
  redeemPerCardPerDay: number | null;
  redeemPerTillPerHour: number | null;
  phoneWithoutPin: boolean;
  confirmChannel: string;
  issueTemplateId: string | null;
};

export function TillRulesForm({ rules, templates, suggested }: { rules: Rules; templates: Option[]; suggested: { card: string; till: string } }) {
  const t = useTranslations("till.settings");
  const [state, action] = useActionState(saveTillRulesAction, null);
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("rulesTitle")}</h2>
      <form action={action} className="mt-4 grid gap-4 sm:grid-cols-2" noValidate>
        <div className="sm:col-span-2">
          <FormAlert state={state} success={t("saved")} />
        </div>
        <Field
          label={t("perCardPerDay")}
          name="redeemPerCardPerDay"
          inputMode="numeric"
          defaultValue={rules.redeemPerCardPerDay ?? ""}
          hint={t("limitHint", { suggested: suggested.card })}
          state={state}
        />
        <Field
          label={t("perTillPerHour")}
          name="redeemPerTillPerHour"
          inputMode="numeric"
          defaultValue={rules.redeemPerTillPerHour ?? ""}
          hint={t("limitHint", { suggested: suggested.till })}
          state={state}
        />
        <SelectField
          label={t("confirmChannel")}
          name="confirmChannel"
          defaultValue={rules.confirmChannel}
          state={state}
          options={[
            { value: "sms", label: t("channelSms") },
            { value: "call", label: t("channelCall") },
          ]}
        />
        <SelectField
          label={t("issueTemplate")}
          name="issueTemplateId"
          defaultValue={rules.issueTemplateId ?? ""}
          state={state}
          options={[{ value: "", label: t("issueTemplateDefault") }, ...templates]}
        />
        <label className="flex gap-3 text-sm sm:col-span-2">
          <input type="checkbox" name="phoneWithoutPin" defaultChecked={rules.phoneWithoutPin} className="mt-0.5 size-4 accent-brand-600" />
          <span>
            <span className="block font-medium">{t("phoneWithoutPin")}</span>
            <span className="block text-slate-600">{t("phoneWithoutPinHint")}</span>
          </span>
        </label>
        <div className="flex justify-end sm:col-span-2">
          <SubmitButton>{t("save")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}

export function StockCreateForm({ templates }: { templates: Option[] }) {
  const t = useTranslations("till.stock");
  const [state, action] = useActionState(createStockAction, null);
  return (
    <form action={action} className="grid gap-4 p-5 sm:grid-cols-3 sm:p-6" noValidate>
      <div className="sm:col-span-3">
        <FormAlert state={state} success={t("created")} />
      </div>
      <SelectField label={t("template")} name="templateId" state={state} options={templates} />
      <Field label={t("prefix")} name="prefix" maxLength={12} autoComplete="off" state={state} />
      <Field label={t("digits")} name="digits" inputMode="numeric" defaultValue="8" state={state} />
      <Field label={t("from")} name="from" inputMode="numeric" required state={state} />
      <Field label={t("to")} name="to" inputMode="numeric" hint={t("toHint")} state={state} />
      <Field label={t("count")} name="count" inputMode="numeric" state={state} />
      <Field label={t("balance")} name="balance" inputMode="numeric" defaultValue="0" state={state} />
      <Field label={t("discount")} name="discount" inputMode="numeric" defaultValue="0" state={state} />
      <div className="flex items-end justify-end">
        <SubmitButton>{t("create")}</SubmitButton>
      </div>
    </form>
  );
}
