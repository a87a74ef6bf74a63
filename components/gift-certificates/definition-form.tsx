"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";
import type { FormAction } from "@/lib/actions/result";

export type DefinitionFormValues = {
  id?: string;
  name: string;
  valueKind: "money" | "product" | "coupon";
  nominal: string;
  productEn: string;
  productRu: string;
  presentationEn: string;
  presentationRu: string;
  termsEn: string;
  termsRu: string;
  validityMode: "fixed" | "days";
  validUntil: string;
  validDays: string;
  partialRedemption: boolean;
  lowPoolThreshold: string;
  smsTemplate: string;
  templateId: string;
  locationIds: string[];
};

type Props = {
  action: FormAction;
  values: DefinitionFormValues;
  currency: string;
  templates: { id: string; name: string; kind: "gift" | "coupon" }[];
  locations: { id: string; name: string }[];
};

export function DefinitionForm({ action, values, currency, templates, locations }: Props) {
  const t = useTranslations("giftCertificates");
  const common = useTranslations("common");
  const [state, formAction] = useActionState(action, null);
  const [kind, setKind] = useState(values.valueKind);
  const [mode, setMode] = useState(values.validityMode);
  return (
    <Card className="p-5 sm:p-6">
      <form action={formAction} className="flex flex-col gap-5" noValidate>
        {values.id && <input type="hidden" name="id" value={values.id} />}
        <FormAlert state={state} />
        <Field label={t("name")} name="name" required maxLength={100} defaultValue={values.name} state={state} />
        <div className="grid gap-5 sm:grid-cols-2">
          <SelectField
            label={t("valueKind")}
            name="valueKind"
            value={kind}
            onChange={(e) => setKind(e.target.value as DefinitionFormValues["valueKind"])}
            // A saved definition keeps its kind: a gift certificate stays one (money or product), a coupon a coupon.
            options={[
              ...(values.id && values.valueKind === "coupon"
                ? []
                : [
                    { value: "money", label: t("money") },
                    { value: "product", label: t("product") },
                  ]),
              ...(values.id && values.valueKind !== "coupon" ? [] : [{ value: "coupon", label: t("coupon") }]),
            ]}
            state={state}
          />
          {kind === "money" ? (
            <Field label={t("nominal")} name="nominal" inputMode="decimal" hint={t("nominalHint", { currency })} defaultValue={values.nominal} state={state} />
          ) : (
            <div className="grid gap-3">
              <Field label={t(kind === "coupon" ? "offer" : "productName")} name="product.en" maxLength={120} defaultValue={values.productEn} state={state} />
              <Field
                label={t(kind === "coupon" ? "offerRu" : "productNameRu")}
                name="product.ru"
                maxLength={120}
                defaultValue={values.productRu}
                state={state}
              />
            </div>
          )}
        </div>
        <div className="grid gap-5 sm:grid-cols-2">
          <SelectField
            label={t("validity")}
            name="validityMode"
            value={mode}
            onChange={(e) => setMode(e.target.value as "fixed" | "days")}
            options={[
              { value: "days", label: t("validDays") },
              { value: "fixed", label: t("validFixed") },
            ]}
            state={state}
          />
          {mode === "days" ? (
            <Field label={t("validDays")} name="validity.days" inputMode="numeric" defaultValue={values.validDays} state={state} />
          ) : (
            <Field label={t("validFixed")} name="validity.date" type="date" defaultValue={values.validUntil} state={state} />
          )}
        </div>
        {kind === "money" && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="partialRedemption" defaultChecked={values.partialRedemption} className="size-4" />
            {t("partialRedemption")}
          </label>
        )}
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label={t("presentation")} name="presentation.en" multiline rows={3} maxLength={4000} defaultValue={values.presentationEn} state={state} />
          <Field label={t("presentationRu")} name="presentation.ru" multiline rows={3} maxLength={4000} defaultValue={values.presentationRu} state={state} />
          <Field label={t("terms")} name="terms.en" multiline rows={5} maxLength={4000} defaultValue={values.termsEn} state={state} hint={t("formatHint")} />
          <Field label={t("termsRu")} name="terms.ru" multiline rows={5} maxLength={4000} defaultValue={values.termsRu} state={state} />
        </div>
        {locations.length > 0 && (
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium text-slate-700">{t("locations")}</legend>
            <p className="text-xs text-slate-500">{t("locationsHint")}</p>
            {locations.map((l) => (
              <label key={l.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name={`location.${l.id}`} defaultChecked={values.locationIds.includes(l.id)} className="size-4" />
                {l.name}
              </label>
            ))}
          </fieldset>
        )}
        <div className="grid gap-5 sm:grid-cols-2">
          <SelectField
            label={t("template")}
            name="templateId"
            defaultValue={values.templateId}
            options={[
              ...(values.id ? [] : [{ value: "", label: t("templateNew") }]),
              ...templates.filter((tpl) => tpl.kind === (kind === "coupon" ? "coupon" : "gift")).map((tpl) => ({ value: tpl.id, label: tpl.name })),
            ]}
            state={state}
          />
          <Field label={t("lowPoolThreshold")} name="lowPoolThreshold" inputMode="numeric" defaultValue={values.lowPoolThreshold} state={state} />
        </div>
        <Field label={t("smsTemplate")} name="smsTemplate" maxLength={300} hint={t("smsTemplateHint")} defaultValue={values.smsTemplate} state={state} />
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <ButtonLink href={values.id ? `/gift-certificates/${values.id}` : "/gift-certificates"} variant="secondary">
            {common("cancel")}
          </ButtonLink>
          <SubmitButton pendingLabel={common("saving")}>{t("save")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
