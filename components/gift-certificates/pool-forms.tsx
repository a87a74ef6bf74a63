"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, SubmitButton, useMessage } from "@/components/ui/form";
import type { FormAction } from "@/lib/actions/result";
import { checkFileSize, CODE_CSV_MAX_BYTES } from "@/lib/files/limits";

export function GenerateCodesForm({ action, definitionId }: { action: FormAction; definitionId: string }) {
  const t = useTranslations("giftCertificates.pool");
  const [state, formAction] = useActionState(action, null);
  const done = state?.ok ? t("generated", { count: (state.data as { count: number }).count }) : undefined;
  return (
    <form action={formAction} className="flex flex-col gap-3" data-testid="generate-codes">
      <input type="hidden" name="id" value={definitionId} />
      <FormAlert state={state} success={done} />
      <div className="grid grid-cols-2 gap-3">
        <Field label={t("count")} name="count" inputMode="numeric" defaultValue="50" state={state} />
        <Field label={t("length")} name="length" inputMode="numeric" defaultValue="10" state={state} />
      </div>
      <SubmitButton>{t("generate")}</SubmitButton>
    </form>
  );
}

type UploadAnswer = {
  imported?: number;
  written?: boolean;
  problemCount?: number;
  problems?: { line: number; code: string; problem: string; params?: Record<string, number> }[];
  error?: { message: string; data?: { params?: Record<string, string | number> } };
};

/** Posts the CSV as the body of its own route (a file may be larger than a server action takes). */
export function UploadCodesForm({ definitionId }: { definitionId: string }) {
  const t = useTranslations("giftCertificates.pool");
  const message = useMessage();
  const router = useRouter();
  const [answer, setAnswer] = useState<UploadAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(form: HTMLFormElement) {
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    if (!file) return;
    const importGood = (form.elements.namedItem("importGood") as HTMLInputElement).checked;
    // Checked here first, so an 8 MB+ file is never sent (the server refuses it too, with 413).
    const tooLarge = checkFileSize(file, CODE_CSV_MAX_BYTES);
    if (tooLarge) return setAnswer({ error: { message: tooLarge.message, data: { params: tooLarge.params } } });
    setBusy(true);
    try {
      const response = await fetch(`/api/gift-certificates/${definitionId}/codes${importGood ? "?importGood=1" : ""}`, { method: "POST", body: file });
      // A proxy's own refusal may not be JSON: say the upload failed rather than nothing.
      setAnswer(((await response.json().catch(() => null)) as UploadAnswer | null) ?? { error: { message: "errors.unexpected" } });
      router.refresh();
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      className="flex flex-col gap-3"
      data-testid="upload-codes"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(e.currentTarget);
      }}
    >
      <label className="text-sm font-medium text-slate-700" htmlFor={`codes-${definitionId}`}>
        {t("upload")}
      </label>
      <input id={`codes-${definitionId}`} name="file" type="file" accept=".csv,text/csv,text/plain" className="text-sm" />
      <p className="text-xs text-slate-500">{t("uploadHint")}</p>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="importGood" className="size-4" />
        {t("importGood")}
      </label>
      <Button type="submit" disabled={busy} aria-busy={busy}>
        {t("uploadButton")}
      </Button>
      {answer?.error && (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {message(answer.error.message, answer.error.data?.params)}
        </p>
      )}
      {answer && !answer.error && (
        <div role="status" className="text-sm">
          <p className={answer.written ? "text-emerald-700" : "text-red-700"}>
            {answer.written ? t("imported", { count: answer.imported ?? 0 }) : t("refused", { count: answer.problemCount ?? 0 })}
          </p>
          {!!answer.problems?.length && (
            <ul className="mt-2 max-h-48 list-disc overflow-y-auto pl-5 text-xs text-slate-700">
              {answer.problems.map((p) => (
                <li key={p.line}>
                  {t("line", { line: p.line, code: p.code })} — {message(p.problem, p.params)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

export function IssueCertificateForm({
  action,
  definitionId,
  money,
  kind,
}: {
  action: FormAction;
  definitionId: string;
  money: boolean;
  kind: "gift" | "coupon";
}) {
  const t = useTranslations("giftCertificates.issue");
  const [state, formAction] = useActionState(action, null);
  const issued = state?.ok ? (state.data as { code: string; sent: boolean }) : null;
  const done = issued ? t(issued.sent ? "doneSent" : "done", { code: issued.code, kind }) : undefined;
  return (
    <form action={formAction} className="flex flex-col gap-3" data-testid="issue-certificate">
      <input type="hidden" name="id" value={definitionId} />
      <FormAlert state={state} success={done} />
      <Field label={t("phone")} name="phone" type="tel" autoComplete="off" state={state} />
      {money && <Field label={t("amount")} name="amount" inputMode="decimal" state={state} />}
      <Field label={t("message")} name="message" maxLength={500} state={state} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="sendSms" defaultChecked className="size-4" />
        {t("sendSms")}
      </label>
      <SubmitButton>{t("button")}</SubmitButton>
    </form>
  );
}

export function StaffRedeemForm({ action, cardId, idempotencyKey, money }: { action: FormAction; cardId: string; idempotencyKey: string; money: boolean }) {
  const t = useTranslations("giftCertificates.certificate");
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-col gap-3" data-testid="staff-redeem">
      <input type="hidden" name="id" value={cardId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <FormAlert state={state} />
      {money ? <Field label={t("redeemAmount")} name="amount" inputMode="decimal" state={state} /> : <input type="hidden" name="amount" value="" />}
      <Field label={t("reason")} name="reason" maxLength={200} required state={state} />
      <SubmitButton>{t("redeem")}</SubmitButton>
    </form>
  );
}

/** A phone list, posted as the body of its own route; the card import's check page then shows it to confirm. */
export function UploadPhonesForm({ definitionId, currency }: { definitionId: string; currency: string }) {
  const t = useTranslations("giftCertificates.phones");
  const message = useMessage();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(form: HTMLFormElement) {
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(`/api/gift-certificates/${definitionId}/phones?name=${encodeURIComponent(file.name)}`, { method: "POST", body: file });
      const body = (await response.json()) as { url?: string; error?: { message: string; data?: { params?: Record<string, string | number> } } };
      if (body.url) router.push(body.url);
      else setError(message(body.error?.message, body.error?.data?.params) ?? null);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      className="flex flex-col gap-3"
      data-testid="upload-phones"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(e.currentTarget);
      }}
    >
      <label className="text-sm font-medium text-slate-700" htmlFor={`phones-${definitionId}`}>
        {t("title")}
      </label>
      <input id={`phones-${definitionId}`} name="file" type="file" accept=".csv,text/csv,text/plain" className="text-sm" />
      <p className="text-xs text-slate-500">{t("hint", { currency })}</p>
      {error && (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <Button type="submit" disabled={busy} aria-busy={busy}>
        {t("button")}
      </Button>
    </form>
  );
}
