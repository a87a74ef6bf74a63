"use client";

import { useTranslations } from "next-intl";
import { startTransition, useActionState, useState } from "react";
import { saveEnrolmentAction } from "@/app/(cabinet)/settings/customer-page/actions";
import { FormAlert, SelectField, SubmitButton } from "@/components/ui/form";

type Props = { enabled: boolean; templateId: string | null; templates: { id: string; name: string }[]; open: boolean };

/**
 * Whether customers may get a card on the merchant's page, and of which template. Both controls are
 * controlled and the form is sent from onSubmit, not as a form action: React resets a form after its
 * action, and the reset put the tick back to how the page was drawn (off) after a refusal ("choose a
 * template"), so the next save turned enrolment off without a word.
 */
export function EnrolmentForm({ enabled: savedEnabled, templateId: savedTemplateId, templates, open }: Props) {
  const t = useTranslations("customerPage");
  const [state, action, pending] = useActionState(saveEnrolmentAction, null);
  const [enabled, setEnabled] = useState(savedEnabled);
  const [templateId, setTemplateId] = useState(savedTemplateId ?? "");
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="flex flex-col gap-4"
      noValidate
    >
      <p className={open ? "text-sm text-emerald-700" : "text-sm text-slate-600"} data-testid="enrolment-status">
        {open ? t("statusOpen") : t("statusClosed")}
      </p>
      <FormAlert state={state} success={t("saved")} />
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          name="enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
          className="mt-0.5 size-4 rounded border-slate-300"
        />
        <span>{t("enable")}</span>
      </label>
      <SelectField
        label={t("template")}
        name="templateId"
        value={templateId}
        onChange={(e) => setTemplateId(e.target.value)}
        state={state}
        options={[{ value: "", label: t("noTemplate") }, ...templates.map((x) => ({ value: x.id, label: x.name }))]}
      />
      {enabled && !templateId && <p className="text-xs text-amber-800">{t("needsTemplate")}</p>}
      <div className="flex justify-end">
        <SubmitButton disabled={pending} aria-busy={pending}>
          {t("save")}
        </SubmitButton>
      </div>
    </form>
  );
}
