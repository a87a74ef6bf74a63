"use client";

import { useFormatter, useTranslations } from "next-intl";
import { startTransition, useActionState, useRef, useState } from "react";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField, SubmitButton, useMessage } from "@/components/ui/form";
import type { PushAudience, PromotionDesign, PushEventType } from "@/db/schema";
import type { FormAction } from "@/lib/actions/result";
import { PromotionDesignFields } from "./promotion-design";

export type PushEventFormValues = {
  id?: string;
  type: PushEventType;
  name: string;
  message: string;
  audience: PushAudience;
  design: PromotionDesign;
  /** datetime-local values in the merchant's time zone. */
  startAt: string;
  endAt: string;
};

type Props = {
  action: FormAction;
  countAction: FormAction;
  estimateAction: FormAction;
  values: PushEventFormValues;
  templates: { id: string; name: string }[];
  locations: { id: string; name: string }[];
  timeZone: string;
};

const STATUSES = ["installed", "apple", "google", "not_installed"] as const;

export function PushEventForm({ action, countAction, estimateAction, values, templates, locations, timeZone }: Props) {
  const t = useTranslations("pushEvents");
  const common = useTranslations("common");
  const message = useMessage();
  const [state, formAction] = useActionState(action, null);
  const [counted, countFormAction, counting] = useActionState(countAction, null);
  const [estimated, estimateFormAction, estimating] = useActionState(estimateAction, null);
  const format = useFormatter();
  const formRef = useRef<HTMLFormElement>(null);
  const [type, setType] = useState<PushEventType>(values.type);
  const a = values.audience;
  const templateError = state && !state.ok ? state.fieldErrors?.["audience.templateIds"] : undefined;
  // After a refused submit the boxes show what was sent (a ticked box is in the kept values), not what was saved.
  const kept = state && !state.ok ? state.values : undefined;
  const ticked = (name: string, saved: boolean) => (kept ? name in kept : saved);
  type Counted = { cards: number; apple: number; google: number; phones: number; estimate: { phones: number; totalMinor: number; currency: string } | null };
  const shown = type === "sms" ? estimated : counted;
  const count = shown?.ok ? (shown.data as Counted) : null;

  return (
    <Card className="p-5 sm:p-6">
      <form ref={formRef} action={formAction} className="flex flex-col gap-6" noValidate>
        {values.id && <input type="hidden" name="id" value={values.id} />}
        <FormAlert state={state} />
        <div className="grid gap-5 sm:grid-cols-2">
          <SelectField
            label={t("type")}
            name="type"
            // Not controlled: after a refused submit SelectField draws it anew with the type that was sent (a
            // controlled select would go back to its first option when React resets the form).
            defaultValue={values.type}
            onChange={(e) => setType(e.target.value as PushEventType)}
            options={(["push", "promotion", "sms"] as const).map((v) => ({ value: v, label: t(`types.${v}`) }))}
            state={state}
          />
          <Field label={t("name")} name="name" maxLength={120} defaultValue={values.name} state={state} />
        </div>
        {type !== "promotion" && (
          <Field
            label={t("message")}
            name="message"
            multiline
            rows={3}
            maxLength={500}
            required
            hint={type === "push" ? t("messageHintPush") : t("messageHintSms")}
            defaultValue={values.message}
            state={state}
          />
        )}

        <fieldset className="flex flex-col gap-4 rounded-lg border border-slate-200 p-4">
          <legend className="px-1 text-sm font-semibold text-slate-700">{t("audience")}</legend>
          <div>
            <p className="mb-2 text-sm font-medium text-slate-700">{t("templates")}</p>
            <div className="flex flex-wrap gap-x-5 gap-y-2">
              {templates.map((tp) => (
                <label key={tp.id} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name={`audience.templateIds.${tp.id}`}
                    defaultChecked={ticked(`audience.templateIds.${tp.id}`, a.templateIds.includes(tp.id))}
                  />
                  {tp.name}
                </label>
              ))}
            </div>
            {templateError && <p className="mt-1 text-sm text-red-600">{message(templateError)}</p>}
          </div>
          <div>
            <p className="mb-2 text-sm font-medium text-slate-700">{t("status")}</p>
            <div className="flex flex-wrap gap-x-5 gap-y-2">
              {STATUSES.map((s) => (
                <label key={s} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name={`audience.status.${s}`} defaultChecked={ticked(`audience.status.${s}`, !!a.status?.includes(s))} />
                  {t(`statuses.${s}`)}
                </label>
              ))}
            </div>
          </div>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field label={t("level")} name="audience.level" maxLength={60} defaultValue={a.level ?? ""} state={state} />
            <Field label={t("balanceMin")} name="audience.balanceMin" inputMode="numeric" defaultValue={a.balanceMin ?? ""} state={state} />
            <Field label={t("balanceMax")} name="audience.balanceMax" inputMode="numeric" defaultValue={a.balanceMax ?? ""} state={state} />
            <Field
              label={t("daysSinceLastPurchase")}
              name="audience.daysSinceLastPurchase"
              inputMode="numeric"
              defaultValue={a.daysSinceLastPurchase ?? ""}
              state={state}
            />
            <SelectField
              label={t("birthdayMonth")}
              name="audience.birthdayMonth"
              defaultValue={a.birthdayMonth ? String(a.birthdayMonth) : ""}
              options={[{ value: "", label: t("any") }, ...Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: t(`months.${i + 1}`) }))]}
              state={state}
            />
            <SelectField
              label={t("location")}
              name="audience.locationId"
              defaultValue={a.locationId ?? ""}
              options={[{ value: "", label: t("any") }, ...locations.map((l) => ({ value: l.id, label: l.name }))]}
              state={state}
            />
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="button"
              // Not a submit: a form action would reset the form's fields after it; this reads them and keeps them.
              onClick={() => {
                if (!formRef.current) return;
                const data = new FormData(formRef.current);
                startTransition(() => (type === "sms" ? estimateFormAction : countFormAction)(data));
              }}
              className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50"
              disabled={counting || estimating}
            >
              {type === "sms" ? t("estimate") : t("count")}
            </button>
            <p className="text-sm text-slate-700" data-testid="audience-count" aria-live="polite">
              {count && t("counted", { cards: count.cards, apple: count.apple, google: count.google, phones: count.phones })}
              {count?.estimate &&
                ` · ${t("estimated", {
                  phones: count.estimate.phones,
                  total: format.number(count.estimate.totalMinor / 100, { style: "currency", currency: count.estimate.currency }),
                })}`}
              {shown && !shown.ok && message(Object.values(shown.fieldErrors ?? {})[0] ?? shown.error, shown.params)}
            </p>
          </div>
        </fieldset>

        {type === "promotion" && (
          <fieldset className="grid gap-4 rounded-lg border border-slate-200 p-4 sm:grid-cols-3">
            <legend className="px-1 text-sm font-semibold text-slate-700">{t("design")}</legend>
            <Field
              label={t("backgroundColor")}
              name="design.backgroundColor"
              placeholder="#1E3A8A"
              defaultValue={values.design.backgroundColor ?? ""}
              state={state}
            />
            <Field
              label={t("foregroundColor")}
              name="design.foregroundColor"
              placeholder="#FFFFFF"
              defaultValue={values.design.foregroundColor ?? ""}
              state={state}
            />
            <Field label={t("labelColor")} name="design.labelColor" placeholder="#FDE68A" defaultValue={values.design.labelColor ?? ""} state={state} />
            <PromotionDesignFields design={values.design} state={state} />
            <Field
              className="sm:col-span-3"
              label={t("backText")}
              name="design.backText"
              multiline
              rows={3}
              maxLength={2000}
              defaultValue={values.design.backText ?? ""}
              state={state}
            />
          </fieldset>
        )}

        <div className="grid gap-5 sm:grid-cols-2">
          <Field
            label={t("startAt")}
            name="startAt"
            type="datetime-local"
            hint={t("startHint", { zone: timeZone })}
            defaultValue={values.startAt}
            state={state}
          />
          {type === "promotion" && <Field label={t("endAt")} name="endAt" type="datetime-local" required defaultValue={values.endAt} state={state} />}
        </div>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <ButtonLink href="/push-events" variant="secondary">
            {common("cancel")}
          </ButtonLink>
          <SubmitButton pendingLabel={common("saving")}>{values.id ? common("save") : t("create")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
