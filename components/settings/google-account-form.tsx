"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { uploadGoogleAccountAction } from "@/app/(cabinet)/settings/certificates/actions";
import { Field, FormAlert, SubmitButton, useMessage } from "@/components/ui/form";

/** Upload of the Google Wallet service-account key file with the issuer id. */
export function GoogleAccountForm() {
  const t = useTranslations("certificates.google");
  const message = useMessage();
  const [state, action] = useActionState(uploadGoogleAccountAction, null);
  const fileError = state && !state.ok ? state.fieldErrors?.serviceAccount : undefined;
  return (
    <form action={action} className="mt-4 flex flex-col gap-4 border-t border-slate-100 pt-4" noValidate>
      <FormAlert state={state} success={t("uploaded")} />
      <div className="flex flex-col gap-1.5">
        <label htmlFor="google-sa" className="text-sm font-medium text-slate-700">
          {t("serviceAccount")}
        </label>
        <input
          id="google-sa"
          name="serviceAccount"
          type="file"
          accept="application/json,.json"
          aria-invalid={fileError ? true : undefined}
          className="text-sm file:mr-3 file:rounded-lg file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:font-medium file:text-brand-700 hover:file:bg-brand-100"
        />
        {fileError ? <p className="text-sm text-red-600">{message(fileError)}</p> : <p className="text-xs text-slate-500">{t("serviceAccountHint")}</p>}
      </div>
      <Field label={t("issuerId")} name="issuerId" inputMode="numeric" hint={t("issuerIdHint")} state={state} />
      <div>
        <SubmitButton>{t("upload")}</SubmitButton>
      </div>
    </form>
  );
}
