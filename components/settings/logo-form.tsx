"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { removeLogoAction, uploadLogoAction } from "@/app/(cabinet)/settings/organisation/actions";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormAlert, SubmitButton, useMessage } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions/result";
import { checkFileSize, MERCHANT_LOGO_MAX_BYTES } from "@/lib/files/limits";

export function LogoForm({ logoUrl }: { logoUrl: string | null }) {
  const t = useTranslations("organisation");
  const message = useMessage();
  const [fileName, setFileName] = useState<string | null>(null);
  const [tooLarge, setTooLarge] = useState<ReturnType<typeof checkFileSize>>(null);
  // React resets the form after the action, so the chosen file's name goes with it.
  const [state, action] = useActionState(async (_previous: ActionResult | null, formData: FormData): Promise<ActionResult> => {
    setFileName(null);
    try {
      return await uploadLogoAction(null, formData);
    } catch {
      // Whatever failed on the way (the connection, a body the server would not take) is told here, not by an error page.
      return { ok: false, code: "unexpected", error: "errors.unexpected" };
    }
  }, null);
  const [removeState, remove] = useActionState(removeLogoAction, null);
  const error = tooLarge?.message ?? (state && !state.ok ? state.fieldErrors?.logo : undefined);
  const errorParams = tooLarge?.params ?? (state && !state.ok ? state.params : undefined);
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("logo")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("logoHint")}</p>
      <div className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-start">
        <div className="grid size-24 shrink-0 place-items-center overflow-hidden rounded-xl border border-dashed border-slate-300 bg-slate-50">
          {logoUrl ? (
            // eslint-disable-next-line @next/next/no-img-element -- served by our own file route
            <img src={logoUrl} alt={t("logo")} className="size-full object-contain" data-testid="logo-preview" />
          ) : (
            <span className="text-xs text-slate-400">{t("noLogo")}</span>
          )}
        </div>
        <div className="flex flex-1 flex-col gap-3">
          <form
            action={action}
            className="flex flex-col gap-3"
            // A file over the limit is refused before it is sent.
            onSubmit={(e) => tooLarge && e.preventDefault()}
          >
            {!error && <FormAlert state={state} />}
            <span className="text-sm font-medium text-slate-700" id="logo-file-label">
              {t("chooseFile")}
            </span>
            {/* The native picker speaks the browser's language; this one follows the cabinet's. */}
            <div className="flex flex-wrap items-center gap-3">
              <input
                id="logo-file"
                name="logo"
                type="file"
                accept="image/png,image/jpeg,image/webp"
                aria-labelledby="logo-file-label"
                aria-invalid={error ? true : undefined}
                className="peer sr-only"
                onChange={(e) => {
                  const file = e.target.files?.[0] ?? null;
                  const refusal = checkFileSize(file, MERCHANT_LOGO_MAX_BYTES);
                  setTooLarge(refusal);
                  if (refusal) e.target.value = "";
                  setFileName(refusal ? null : (file?.name ?? null));
                }}
              />
              <label htmlFor="logo-file" className={buttonClass("secondary", "cursor-pointer peer-focus-visible:ring-2 peer-focus-visible:ring-brand-500")}>
                {t("pickFile")}
              </label>
              <span className="min-w-0 truncate text-sm text-slate-600" data-testid="logo-file-name">
                {fileName ?? t("noFileChosen")}
              </span>
            </div>
            {error && (
              <p role="alert" className="text-sm text-red-600" data-testid="logo-error">
                {message(error, errorParams)}
              </p>
            )}
            <div>
              <SubmitButton>{t("upload")}</SubmitButton>
            </div>
          </form>
          {logoUrl && (
            <form action={remove}>
              <FormAlert state={removeState} />
              <button type="submit" className="text-sm font-medium text-red-600 hover:text-red-700">
                {t("removeLogo")}
              </button>
            </form>
          )}
        </div>
      </div>
    </Card>
  );
}
