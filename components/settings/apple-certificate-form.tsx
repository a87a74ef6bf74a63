"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { uploadAppleCertificateAction } from "@/app/(cabinet)/settings/certificates/actions";
import { Card } from "@/components/ui/card";
import { FileField } from "@/components/ui/file-field";
import { CERTIFICATE_MAX_BYTES } from "@/lib/files/limits";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";

/** Upload of the Apple pass type certificate: a .p12 with its password, or certificate and key as PEM, and, only for a WWDR generation the app does not ship, Apple's intermediate. */
export function AppleCertificateForm() {
  const t = useTranslations("certificates");
  const [format, setFormat] = useState<"p12" | "pem">("p12");
  const [state, action] = useActionState(uploadAppleCertificateAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const params = state && !state.ok ? state.params : undefined;
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("uploadTitle")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("uploadHelp")}</p>
      <form action={action} className="mt-4 flex flex-col gap-4" noValidate>
        <FormAlert state={state} success={t("uploaded")} />
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="sr-only">{t("format")}</legend>
          {(["p12", "pem"] as const).map((f) => (
            <label key={f} className="flex items-center gap-2">
              <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} className="accent-brand-600" />
              {t(`formats.${f}`)}
            </label>
          ))}
        </fieldset>
        {format === "p12" ? (
          <>
            <FileField
              maxBytes={CERTIFICATE_MAX_BYTES}
              name="p12"
              label={t("p12")}
              accept=".p12,.pfx,application/x-pkcs12"
              error={errors.p12}
              params={params}
            />
            <Field label={t("password")} name="password" type="password" autoComplete="off" state={state} />
          </>
        ) : (
          <>
            <FileField
              maxBytes={CERTIFICATE_MAX_BYTES}
              name="certificate"
              label={t("certificate")}
              accept=".pem,.cer,.crt"
              error={errors.certificate}
              params={params}
            />
            <FileField maxBytes={CERTIFICATE_MAX_BYTES} name="key" label={t("key")} accept=".pem,.key" error={errors.key} params={params} />
            <Field label={t("keyPassword")} name="keyPassword" type="password" autoComplete="off" state={state} />
          </>
        )}
        <FileField
          maxBytes={CERTIFICATE_MAX_BYTES}
          name="wwdr"
          label={t("wwdr")}
          hint={t("wwdrHint")}
          accept=".pem,.cer,.crt"
          error={errors.wwdr}
          params={params}
        />
        <div>
          <SubmitButton>{t("upload")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
