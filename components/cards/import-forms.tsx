"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { cancelImportAction, previewImportAction, startImportAction } from "@/app/(cabinet)/cards/actions";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { FileField } from "@/components/ui/file-field";
import { ProgressBar } from "@/components/ui/progress-bar";
import { FormAlert, SelectField, SubmitButton, useMessage } from "@/components/ui/form";

export function ImportUploadForm({ templates }: { templates: { id: string; name: string }[] }) {
  const t = useTranslations("cards.import");
  const [state, action] = useActionState(previewImportAction, null);
  const fileError = state && !state.ok ? state.fieldErrors?.file : undefined;
  const message = useMessage();
  return (
    <form action={action} className="flex flex-col gap-5" noValidate>
      <FormAlert state={state && !state.ok && !fileError ? state : null} />
      <SelectField label={t("template")} name="templateId" state={state} options={templates.map((x) => ({ value: x.id, label: x.name }))} />
      <FileField name="file" label={t("file")} accept=".csv,text/csv,text/plain" hint={t("fileHint")} error={fileError ? (message(fileError, state && !state.ok ? state.params : undefined) ?? fileError) : undefined} />
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" name="skipExisting" defaultChecked className="mt-0.5 size-4 rounded border-slate-300" />
        <span>{t("skipExisting")}</span>
      </label>
      <div className="flex justify-end">
        <SubmitButton pendingLabel={t("checking")}>{t("check")}</SubmitButton>
      </div>
    </form>
  );
}

/** Confirm or discard a checked file. */
export function ImportDecision({ id, valid }: { id: string; valid: number }) {
  const t = useTranslations("cards.import");
  const [state, start] = useActionState(startImportAction, null);
  const [cancelState, cancel] = useActionState(cancelImportAction, null);
  return (
    <div className="flex flex-col gap-3">
      <FormAlert state={state ?? cancelState} />
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <form action={cancel}>
          <input type="hidden" name="id" value={id} />
          <SubmitButton variant="secondary" className="w-full">
            {t("discard")}
          </SubmitButton>
        </form>
        {valid > 0 && (
          <form action={start}>
            <input type="hidden" name="id" value={id} />
            <SubmitButton className="w-full" pendingLabel={t("starting")}>
              {t("issueN", { count: valid })}
            </SubmitButton>
          </form>
        )}
      </div>
    </div>
  );
}

/** While the worker issues, the page re-reads its progress every second; it stops once the import ends. */
export function ImportProgress({ id, processed, valid, running }: { id: string; processed: number; valid: number; running: boolean }) {
  const t = useTranslations("cards.import");
  const [cancelState, cancel] = useActionState(cancelImportAction, null);
  return (
    <div className="flex flex-col gap-3">
      <AutoRefresh active={running} />
      <ProgressBar done={processed} total={valid} label={t("progressLabel")} caption={t("progress", { processed, valid })} />
      {running && (
        <form action={cancel} className="flex justify-end">
          <input type="hidden" name="id" value={id} />
          <SubmitButton variant="ghost">{t("stop")}</SubmitButton>
        </form>
      )}
      <FormAlert state={cancelState} />
    </div>
  );
}
