"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { saveEnrolmentAction } from "@/app/(cabinet)/settings/customer-page/actions";
import { FormAlert, SelectField, SubmitButton } from "@/components/ui/form";

export function EnrolmentForm({ enabled, templateId, templates }: { enabled: boolean; templateId: string | null; templates: { id: string; name: string }[] }) {
  const t = useTranslations("customerPage");
  const [state, action] = useActionState(saveEnrolmentAction, null);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <FormAlert state={state} success={t("saved")} />
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" name="enabled" defaultChecked={enabled} className="mt-0.5 size-4 rounded border-slate-300" />
        <span>{t("enable")}</span>
      </label>
      <SelectField label={t("template")} name="templateId" defaultValue={templateId ?? ""} state={state} options={[{ value: "", label: t("noTemplate") }, ...templates.map((x) => ({ value: x.id, label: x.name }))]} />
      <div className="flex justify-end">
        <SubmitButton>{t("save")}</SubmitButton>
      </div>
    </form>
  );
}
