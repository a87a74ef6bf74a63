"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { saveSourceAction } from "@/app/(cabinet)/forms/actions";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";
import { formatMoney } from "@/lib/format/money";

/** A form the source may point at, with the starting levels its template's programme offers (lib/forms/sources sourceFormOptions). */
export type SourceFormOption = { id: string; name: string; levels: { name: string; minTotal: number; discountPercent: number }[] };

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
  /** The starting level's threshold (minor units) as text; blank: none. */
  levelFloor: string;
  active: boolean;
};

/**
 * A registration group's or a company's settings: its form, period, cap, welcome bonus, tag (and a
 * company's starting discount or starting level — the level select only where the chosen form's
 * template has levels).
 */
export function SourceEditor({ values, forms, zone, currency }: { values: SourceValues; forms: SourceFormOption[]; zone: string; currency: string }) {
  const t = useTranslations("regGroups");
  const common = useTranslations("common");
  const locale = useLocale();
  const [state, action] = useActionState(saveSourceAction, null);
  const company = values.kind === "company";
  const kept = state && !state.ok ? state.values?.formId : undefined;
  const [formId, setFormId] = useState(typeof kept === "string" ? kept : values.formId);
  const levels = forms.find((f) => f.id === formId)?.levels ?? [];
  // A floor the template no longer offers (its levels were edited since) stays chosen until changed, named by its threshold.
  const floorKnown = !values.levelFloor || levels.some((l) => String(l.minTotal) === values.levelFloor);
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
          onChange={(e) => setFormId(e.target.value)}
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
        {company && levels.length > 0 && (
          <div className="flex flex-col gap-1.5">
            <SelectField
              // Drawn anew for another form: its own levels, nothing chosen from the last one.
              key={formId}
              label={t("startingLevel")}
              name="levelFloor"
              defaultValue={formId === values.formId ? values.levelFloor : ""}
              options={[
                { value: "", label: t("startingLevelNone") },
                ...levels.map((l) => ({
                  value: String(l.minTotal),
                  label: t("startingLevelOption", { name: l.name, discount: l.discountPercent, from: formatMoney(l.minTotal, currency, locale) }),
                })),
                ...(floorKnown || formId !== values.formId
                  ? []
                  : [{ value: values.levelFloor, label: t("startingLevelStale", { from: formatMoney(Number(values.levelFloor), currency, locale) }) }]),
              ]}
              aria-describedby="starting-level-hint"
              state={state}
            />
            <p id="starting-level-hint" className="text-xs text-slate-500">
              {t("startingLevelHint")}
            </p>
          </div>
        )}
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
