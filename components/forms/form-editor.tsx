"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { saveFormAction } from "@/app/(cabinet)/forms/actions";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField, SubmitButton, useMessage } from "@/components/ui/form";
import type { RegistrationForm } from "@/db/schema";
import { FIELD_TYPES, emptyDefinition, type ConsentBox, type FormDefinition, type FormField } from "@/lib/forms/definition";

const input =
  "min-h-10 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";

/** "s = Small | Маленький" per line ⇄ choice options. */
const optionsText = (f: FormField) => (f.options ?? []).map((o) => `${o.value} = ${o.label.en} | ${o.label.ru}`).join("\n");
const parseOptions = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [value, labels = ""] = line.split("=").map((s) => s.trim());
      const [en = "", ru = ""] = labels.split("|").map((s) => s.trim());
      return { value, label: { en: en || value, ru: ru || en || value } };
    });

/**
 * The form editor: name, template, the fields and consent boxes (added, removed, reordered), the public
 * page's look. The definition travels as one JSON field; the server checks it with the same schema.
 */
export function FormEditor({ form, templates }: { form?: RegistrationForm; templates: { id: string; name: string }[] }) {
  const t = useTranslations("forms");
  const common = useTranslations("common");
  const message = useMessage();
  const [state, action] = useActionState(saveFormAction, null);
  const [def, setDef] = useState<FormDefinition>(form?.definition ?? emptyDefinition());
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const errorAt = (path: string) => {
    const key = errors[`definition.${path}`];
    return key ? <p className="text-sm text-red-600">{message(key)}</p> : null;
  };
  const setField = (i: number, patch: Partial<FormField>) => setDef((d) => ({ ...d, fields: d.fields.map((f, j) => (j === i ? { ...f, ...patch } : f)) }));
  const setConsent = (i: number, patch: Partial<ConsentBox>) =>
    setDef((d) => ({ ...d, consents: d.consents.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));
  const move = (i: number, by: number) =>
    setDef((d) => {
      const fields = [...d.fields];
      const j = i + by;
      if (j < 0 || j >= fields.length) return d;
      [fields[i], fields[j]] = [fields[j], fields[i]];
      return { ...d, fields };
    });
  const num = (v: string) => (v === "" ? undefined : Number(v));

  return (
    <form action={action} className="flex flex-col gap-6" noValidate>
      {form && <input type="hidden" name="id" value={form.id} />}
      <input type="hidden" name="definition" value={JSON.stringify(def)} />
      <FormAlert state={state} />
      <Card className="grid gap-5 p-5 sm:grid-cols-2 sm:p-6">
        <Field label={t("name")} name="name" required maxLength={120} defaultValue={form?.name} state={state} />
        <SelectField
          label={t("template")}
          name="templateId"
          defaultValue={form?.templateId}
          options={[{ value: "", label: t("chooseTemplate") }, ...templates.map((x) => ({ value: x.id, label: x.name }))]}
          state={state}
        />
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="active" defaultChecked={form?.active ?? true} />
          {t("active")}
        </label>
      </Card>

      <Card className="flex flex-col gap-4 p-5 sm:p-6">
        <h2 className="text-base font-semibold">{t("look")}</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          {(["en", "ru"] as const).map((loc) => (
            <label key={loc} className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
              {t("pageTitle", { lang: loc.toUpperCase() })}
              <input
                className={input}
                value={def.title[loc]}
                maxLength={120}
                onChange={(e) => setDef({ ...def, title: { ...def.title, [loc]: e.target.value } })}
              />
            </label>
          ))}
          {(["en", "ru"] as const).map((loc) => (
            <label key={loc} className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
              {t("benefits", { lang: loc.toUpperCase() })}
              <textarea
                className={input}
                rows={3}
                value={def.benefits[loc]}
                maxLength={2000}
                onChange={(e) => setDef({ ...def, benefits: { ...def.benefits, [loc]: e.target.value } })}
              />
            </label>
          ))}
        </div>
        <Field label={t("cover")} name="cover" type="file" accept="image/png,image/jpeg,image/webp" hint={t("coverHint")} state={state} />
        {form?.coverFileId && (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="removeCover" />
            {t("removeCover")}
          </label>
        )}
      </Card>

      <Card className="flex flex-col gap-4 p-5 sm:p-6">
        <div>
          <h2 className="text-base font-semibold">{t("fields")}</h2>
          <p className="text-sm text-slate-600">{t("phoneAlways")}</p>
        </div>
        {errorAt("fields")}
        {def.fields.map((f, i) => (
          <fieldset key={i} className="grid gap-3 rounded-xl border border-slate-200 p-4 sm:grid-cols-6" data-testid="form-field-row">
            <legend className="sr-only">{t("fieldN", { n: i + 1 })}</legend>
            <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 sm:col-span-2">
              {t("fieldType")}
              <select className={input} value={f.type} onChange={(e) => setField(i, { type: e.target.value as FormField["type"] })}>
                {FIELD_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`types.${type}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 sm:col-span-2">
              {t("fieldKey")}
              <input className={input} value={f.key} maxLength={40} onChange={(e) => setField(i, { key: e.target.value })} />
              {errorAt(`fields.${i}.key`)}
            </label>
            <label className="flex items-center gap-2 self-end text-sm text-slate-700 sm:col-span-2">
              <input type="checkbox" checked={f.required} onChange={(e) => setField(i, { required: e.target.checked })} />
              {t("required")}
            </label>
            {(["en", "ru"] as const).map((loc) => (
              <label key={loc} className="flex flex-col gap-1 text-xs font-medium text-slate-600 sm:col-span-3">
                {t("label", { lang: loc.toUpperCase() })}
                <input className={input} value={f.label[loc]} maxLength={120} onChange={(e) => setField(i, { label: { ...f.label, [loc]: e.target.value } })} />
              </label>
            ))}
            {errorAt(`fields.${i}.label`)}
            {(f.type === "text" || f.type === "name") && (
              <>
                <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 sm:col-span-2">
                  {t("pattern")}
                  <input
                    className={`${input} font-mono`}
                    value={f.pattern ?? ""}
                    maxLength={200}
                    onChange={(e) => setField(i, { pattern: e.target.value || undefined })}
                  />
                  {errorAt(`fields.${i}.pattern`)}
                </label>
                <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 sm:col-span-2">
                  {t("minLength")}
                  <input
                    className={input}
                    type="number"
                    min={0}
                    max={500}
                    value={f.minLength ?? ""}
                    onChange={(e) => setField(i, { minLength: num(e.target.value) })}
                  />
                </label>
                <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 sm:col-span-2">
                  {t("maxLength")}
                  <input
                    className={input}
                    type="number"
                    min={1}
                    max={500}
                    value={f.maxLength ?? ""}
                    onChange={(e) => setField(i, { maxLength: num(e.target.value) })}
                  />
                  {errorAt(`fields.${i}.maxLength`)}
                </label>
              </>
            )}
            {f.type === "choice" && (
              <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 sm:col-span-6">
                {t("options")}
                <textarea
                  className={input}
                  rows={3}
                  defaultValue={optionsText(f)}
                  placeholder="s = Small | Маленький"
                  onBlur={(e) => setField(i, { options: parseOptions(e.target.value) })}
                />
                {errorAt(`fields.${i}.options`)}
              </label>
            )}
            <div className="flex gap-2 sm:col-span-6">
              <Button variant="ghost" onClick={() => move(i, -1)} disabled={i === 0}>
                {t("up")}
              </Button>
              <Button variant="ghost" onClick={() => move(i, 1)} disabled={i === def.fields.length - 1}>
                {t("down")}
              </Button>
              <Button variant="ghost" className="text-red-700" onClick={() => setDef({ ...def, fields: def.fields.filter((_, j) => j !== i) })}>
                {t("remove")}
              </Button>
            </div>
          </fieldset>
        ))}
        <Button
          variant="secondary"
          className="self-start"
          onClick={() =>
            setDef({ ...def, fields: [...def.fields, { key: `field_${def.fields.length + 1}`, type: "text", label: { en: "", ru: "" }, required: false }] })
          }
        >
          {t("addField")}
        </Button>
      </Card>

      <Card className="flex flex-col gap-4 p-5 sm:p-6">
        <div>
          <h2 className="text-base font-semibold">{t("consents")}</h2>
          <p className="text-sm text-slate-600">{t("consentsHelp")}</p>
        </div>
        {def.consents.map((c, i) => (
          <fieldset key={i} className="grid gap-3 rounded-xl border border-slate-200 p-4 sm:grid-cols-2" data-testid="form-consent-row">
            <legend className="sr-only">{t("consentN", { n: i + 1 })}</legend>
            <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
              {t("fieldKey")}
              <input className={input} value={c.key} maxLength={40} onChange={(e) => setConsent(i, { key: e.target.value })} />
              {errorAt(`consents.${i}.key`)}
            </label>
            <p className="self-end text-xs text-slate-500">{form ? t("consentVersion", { version: c.version }) : null}</p>
            {(["en", "ru"] as const).map((loc) => (
              <label key={loc} className="flex flex-col gap-1 text-xs font-medium text-slate-600">
                {t("consentText", { lang: loc.toUpperCase() })}
                <textarea
                  className={input}
                  rows={2}
                  value={c.text[loc]}
                  maxLength={2000}
                  onChange={(e) => setConsent(i, { text: { ...c.text, [loc]: e.target.value } })}
                />
              </label>
            ))}
            {errorAt(`consents.${i}.text`)}
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={c.required} onChange={(e) => setConsent(i, { required: e.target.checked })} />
              {t("required")}
            </label>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={c.marketing} onChange={(e) => setConsent(i, { marketing: e.target.checked })} />
              {t("marketing")}
            </label>
            <Button
              variant="ghost"
              className="justify-self-start text-red-700"
              onClick={() => setDef({ ...def, consents: def.consents.filter((_, j) => j !== i) })}
            >
              {t("remove")}
            </Button>
          </fieldset>
        ))}
        <Button
          variant="secondary"
          className="self-start"
          onClick={() =>
            setDef({
              ...def,
              consents: [
                ...def.consents,
                { key: `consent_${def.consents.length + 1}`, text: { en: "", ru: "" }, version: 1, required: false, marketing: false },
              ],
            })
          }
        >
          {t("addConsent")}
        </Button>
      </Card>

      <Card className="flex flex-col gap-4 p-5 sm:p-6">
        <label className="flex items-center gap-2 text-base font-semibold">
          <input
            type="checkbox"
            checked={!!def.referral}
            onChange={(e) => setDef({ ...def, referral: e.target.checked ? { inviterBonus: 100, friendBonus: 100, on: "installed" } : null })}
          />
          {t("referral")}
        </label>
        <p className="text-sm text-slate-600">{t("referralHelp")}</p>
        {def.referral && (
          <div className="grid gap-4 sm:grid-cols-3">
            {(["inviterBonus", "friendBonus"] as const).map((k) => (
              <label key={k} className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
                {t(k)}
                <input
                  className={input}
                  type="number"
                  min={0}
                  value={def.referral![k]}
                  onChange={(e) => setDef({ ...def, referral: { ...def.referral!, [k]: Number(e.target.value || 0) } })}
                />
              </label>
            ))}
            <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
              {t("rewardOn")}
              <select
                className={input}
                value={def.referral.on}
                onChange={(e) => setDef({ ...def, referral: { ...def.referral!, on: e.target.value as "installed" | "used" } })}
              >
                <option value="installed">{t("onInstalled")}</option>
                <option value="used">{t("onUsed")}</option>
              </select>
            </label>
          </div>
        )}
      </Card>

      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <ButtonLink href="/forms" variant="secondary">
          {common("cancel")}
        </ButtonLink>
        <SubmitButton pendingLabel={common("saving")}>{form ? common("save") : t("create")}</SubmitButton>
      </div>
    </form>
  );
}
