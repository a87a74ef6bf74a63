"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { issueCardAction } from "@/app/(cabinet)/cards/actions";
import Link from "next/link";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField, SubmitButton } from "@/components/ui/form";

export type IssueTemplateOption = { id: string; name: string; custom: { key: string; label: string }[]; expiryHint: string };

/** Issue one card: the template, the holder (phone required) and the card's first values. */
export function IssueCardForm({ templates, defaultTemplateId }: { templates: IssueTemplateOption[]; defaultTemplateId?: string }) {
  const t = useTranslations("cards.issue");
  const common = useTranslations("common");
  const [state, action] = useActionState(issueCardAction, null);
  const kept = state && !state.ok ? state.values?.templateId : undefined;
  const [templateId, setTemplateId] = useState(kept ?? defaultTemplateId ?? templates[0]?.id ?? "");
  const template = templates.find((x) => x.id === templateId);
  const existing = state && !state.ok && state.code === "card_exists" ? (state.data as { cardId: string; number: string } | undefined) : undefined;
  return (
    <Card className="p-5 sm:p-6">
      <form action={action} className="flex flex-col gap-6" noValidate>
        {existing ? <ExistingCardNotice cardId={existing.cardId} number={existing.number} /> : <FormAlert state={state} />}
        {/* Uncontrolled: React resets a form after its action, which would put a controlled select back to its first option. */}
        <SelectField
          label={t("template")}
          name="templateId"
          state={state}
          defaultValue={templateId}
          onChange={(e) => setTemplateId(e.target.value)}
          options={templates.map((x) => ({ value: x.id, label: x.name }))}
        />
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-3 text-sm font-semibold text-slate-900">{t("holder")}</legend>
          <Field
            label={t("phone")}
            name="customer.phone"
            type="tel"
            autoComplete="tel"
            required
            inputMode="tel"
            placeholder="+7 916 123-45-67"
            hint={t("phoneHint")}
            state={state}
          />
          <Field label={t("name")} name="customer.name" autoComplete="name" maxLength={120} state={state} />
          <Field label={t("email")} name="customer.email" type="email" autoComplete="email" state={state} />
          <Field label={t("birthday")} name="customer.birthday" type="date" state={state} />
        </fieldset>
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-3 text-sm font-semibold text-slate-900">{t("values")}</legend>
          <Field label={t("balance")} name="balance" inputMode="numeric" placeholder="0" state={state} />
          <Field label={t("discount")} name="discount" inputMode="numeric" placeholder="0" hint={t("discountHint")} state={state} />
          <Field label={t("expiresAt")} name="expiresAt" type="date" hint={template?.expiryHint} state={state} />
          <Field label={t("number")} name="number" maxLength={32} hint={t("numberHint")} state={state} />
          {template?.custom.map((c) => (
            <Field key={`${templateId}-${c.key}`} label={c.label || c.key} name={`custom.${c.key}`} maxLength={200} state={state} />
          ))}
        </fieldset>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <ButtonLink href="/cards" variant="secondary">
            {common("cancel")}
          </ButtonLink>
          <SubmitButton pendingLabel={t("issuing")}>{t("submit")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}

/** One card per phone per template: the phone already holds one; open it, or tick the box to issue another on purpose. */
function ExistingCardNotice({ cardId, number }: { cardId: string; number: string }) {
  const t = useTranslations("cards.issue");
  return (
    <div role="alert" data-testid="card-exists" className="flex flex-col gap-3 rounded-lg border border-amber-200 bg-amber-50 px-3 py-3 text-sm text-amber-900">
      <div>
        <p className="font-semibold">{t("existsTitle")}</p>
        <p className="mt-1">{t("existsText", { number })}</p>
      </div>
      <Link href={`/cards/${cardId}`} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800">
        {t("openExisting", { number })}
      </Link>
      <label className="flex items-start gap-2">
        <input type="checkbox" name="allowDuplicate" className="mt-0.5 size-4 rounded border-slate-300" />
        <span>{t("issueAnother")}</span>
      </label>
    </div>
  );
}
