"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { uploadGoogleAccountAction } from "@/app/(cabinet)/settings/certificates/actions";
import { FileField } from "@/components/ui/file-field";
import { CERTIFICATE_MAX_BYTES } from "@/lib/files/limits";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";

/** Upload of the Google Wallet service-account key file with the issuer id. */
export function GoogleAccountForm() {
  const t = useTranslations("certificates.google");
  const [state, action] = useActionState(uploadGoogleAccountAction, null);
  return (
    <form action={action} className="mt-4 flex flex-col gap-4 border-t border-slate-100 pt-4" noValidate>
      <FormAlert state={state} success={t("uploaded")} />
      <FileField
        maxBytes={CERTIFICATE_MAX_BYTES}
        name="serviceAccount"
        label={t("serviceAccount")}
        hint={t("serviceAccountHint")}
        accept="application/json,.json"
        params={state && !state.ok ? state.params : undefined}
        error={state && !state.ok ? state.fieldErrors?.serviceAccount : undefined}
      />
      <Field label={t("issuerId")} name="issuerId" inputMode="numeric" hint={t("issuerIdHint")} state={state} />
      <div>
        <SubmitButton>{t("upload")}</SubmitButton>
      </div>
    </form>
  );
}
