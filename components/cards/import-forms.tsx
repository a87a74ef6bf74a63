"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { cancelImportAction, startImportAction } from "@/app/(cabinet)/cards/actions";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { FileField } from "@/components/ui/file-field";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Button } from "@/components/ui/button";
import { FormAlert, SelectField, SubmitButton, useMessage } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions/result";
import { checkFileSize, CSV_IMPORT_MAX_BYTES, CSV_IMPORT_MAX_ROWS } from "@/lib/files/limits";

type Refusal = { message: string; params?: Record<string, string | number>; field?: string };

/** Sends the file as the request body, reporting upload progress; resolves with the answer's status and JSON. */
function uploadImport(
  url: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<{
  status: number;
  body: { id?: string; url?: string; error?: { message?: string; data?: { field?: string; params?: Record<string, string | number> } } };
}> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {}
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("network"));
    xhr.send(file);
  });
}

/**
 * The file goes to a streaming route (POST /api/cards/imports), not a server action: it may be far
 * larger than an action's body limit. Its size is checked here first, then again on the server.
 */
export function ImportUploadForm({ templates }: { templates: { id: string; name: string }[] }) {
  const t = useTranslations("cards.import");
  const message = useMessage();
  const router = useRouter();
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const busy = progress !== null;
  const fieldError = (field: string) => (refusal?.field === field ? (message(refusal.message, refusal.params) ?? refusal.message) : undefined);
  // The select and the file field read their errors from an action-shaped state.
  const state: ActionResult | null = refusal
    ? {
        ok: false,
        code: "validation",
        error: refusal.message,
        params: refusal.params,
        fieldErrors: refusal.field ? { [refusal.field]: refusal.message } : undefined,
      }
    : null;

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return setRefusal({ message: "validation.fileRequired", field: "file" });
    const tooLarge = checkFileSize(file, CSV_IMPORT_MAX_BYTES);
    if (tooLarge) return setRefusal({ ...tooLarge, field: "file" });
    const query = new URLSearchParams({
      templateId: String(form.get("templateId") ?? ""),
      skipExisting: form.get("skipExisting") ? "1" : "0",
      name: file.name,
    });
    setRefusal(null);
    setProgress(0);
    try {
      const { status, body } = await uploadImport(`/api/cards/imports?${query}`, file, setProgress);
      if (status === 201 && body.url) return router.push(body.url);
      setRefusal(
        status === 401
          ? { message: "errors.unauthorized" }
          : { message: body.error?.message ?? "errors.unexpected", params: body.error?.data?.params, field: body.error?.data?.field },
      );
    } catch {
      setRefusal({ message: "cards.import.errors.uploadFailed" });
    }
    setProgress(null);
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-5" noValidate>
      <FormAlert state={state && !refusal?.field ? state : null} />
      <SelectField label={t("template")} name="templateId" state={state} options={templates.map((x) => ({ value: x.id, label: x.name }))} />
      <FileField
        name="file"
        label={t("file")}
        accept=".csv,text/csv,text/plain"
        hint={t("fileHint", { max: CSV_IMPORT_MAX_BYTES / 1024 / 1024, rows: CSV_IMPORT_MAX_ROWS })}
        maxBytes={CSV_IMPORT_MAX_BYTES}
        onChange={() => setRefusal(null)}
        error={fieldError("file")}
      />
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" name="skipExisting" defaultChecked className="mt-0.5 size-4 rounded border-slate-300" />
        <span>{t("skipExisting")}</span>
      </label>
      {busy && (
        <ProgressBar
          done={Math.round(progress * 100)}
          total={100}
          label={t("uploading", { percent: Math.round(progress * 100) })}
          caption={progress < 1 ? t("uploading", { percent: Math.round(progress * 100) }) : t("checking")}
        />
      )}
      <div className="flex justify-end">
        <Button type="submit" disabled={busy} aria-busy={busy}>
          {busy && <span className="size-4 animate-spin rounded-full border-2 border-current border-r-transparent" aria-hidden />}
          {busy ? t("checking") : t("check")}
        </Button>
      </div>
    </form>
  );
}

/** Confirm or discard a checked file; the button says how many cards it issues and how many rows it skips. */
export function ImportDecision({ id, toIssue, skipped }: { id: string; toIssue: number; skipped: number }) {
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
        {toIssue > 0 && (
          <form action={start}>
            <input type="hidden" name="id" value={id} />
            <SubmitButton className="w-full" pendingLabel={t("starting")}>
              {skipped > 0 ? t("issueSkip", { count: toIssue, skipped }) : t("issueN", { count: toIssue })}
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
