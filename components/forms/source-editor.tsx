"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { saveSourceAction } from "@/app/(cabinet)/forms/actions";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";

export type SourceValues = {
  id?: string;
  kind: "group" | "company";
  formId: string;
  name: string;
  tag: string;
  startsAt: string;
  endsAt: string;
  maxRegistrations: string;
  welcomeBonus: string;
  discount: string;
  active: boolean;
};

/** A registration group's or a company's settings: its form, period, cap, welcome bonus, tag (and a company's starting discount). */
export function SourceEditor({ values, forms, zone }: { values: SourceValues; forms: { id: string; name: string }[]; zone: string }) {
  const t = useTranslations("regGroups");
  const common = useTranslations("common");
  const [state, action] = useActionState(saveSourceAction, null);
  const company = values.kind === "company";
  return (
    <Card className="p-5 sm:p-6">
      <form action={action} className="grid gap-5 sm:grid-cols-2" noValidate>
        {values.id && <input type="hidden" name="id" value={values.id} />}
        <input type="hidden" name="kind" value={values.kind} />
        <div className="sm:col-span-2">
          <FormAlert state={state} />
        </div>
        <Field label={company ? t("companyName") : t("name")} name="name" required maxLength={120} defaultValue={values.name} state={state} />
        <SelectField
          label={t("form")}
          name="formId"
          defaultValue={values.formId}
          options={[{ value: "", label: t("chooseForm") }, ...forms.map((f) => ({ value: f.id, label: f.name }))]}
          state={state}
        />
        <Field label={t("startsAt")} name="startsAt" type="datetime-local" defaultValue={values.startsAt} hint={t("zoneHint", { zone })} state={state} />
        <Field label={t("endsAt")} name="endsAt" type="datetime-local" defaultValue={values.endsAt} state={state} />
        <Field
          label={company ? t("maxEmployees") : t("maxRegistrations")}
          name="maxRegistrations"
          inputMode="numeric"
          defaultValue={values.maxRegistrations}
          hint={t("blankNoCap")}
          state={state}
        />
        <Field label={t("welcomeBonus")} name="welcomeBonus" inputMode="numeric" defaultValue={values.welcomeBonus} hint={t("welcomeHint")} state={state} />
        {company && <Field label={t("discount")} name="discount" inputMode="numeric" defaultValue={values.discount} hint={t("discountHint")} state={state} />}
        <Field label={t("tag")} name="tag" maxLength={60} defaultValue={values.tag} hint={t("tagHint")} state={state} />
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="active" defaultChecked={values.active} />
          {t("active")}
        </label>
        <div className="flex flex-col-reverse gap-2 sm:col-span-2 sm:flex-row sm:justify-end">
          <ButtonLink href="/forms" variant="secondary">
            {common("cancel")}
          </ButtonLink>
          <SubmitButton pendingLabel={common("saving")}>{values.id ? common("save") : company ? t("createCompany") : t("create")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
