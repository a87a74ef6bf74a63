"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { confirmTwoFactorAction, disableTwoFactorAction, regenerateCodesAction, startTwoFactorAction } from "@/app/(cabinet)/settings/security/actions";
import { Badge, Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import { RecoveryCodesList } from "./recovery-codes-list";

export type TwoFactorView = { status: "off" } | { status: "pending"; secret: string; qr: string } | { status: "on"; enabledAt: string; remainingCodes: number };

/** Settings → Security's second factor: off → (password) → QR and secret → (first code) → on, with recovery codes. */
export function TwoFactorPanel({ view, required }: { view: TwoFactorView; required: boolean }) {
  const t = useTranslations("security");
  const format = useFormatter();
  const [startState, start] = useActionState(startTwoFactorAction, null);
  const [confirmState, confirm] = useActionState(confirmTwoFactorAction, null);
  const [regenState, regenerate] = useActionState(regenerateCodesAction, null);
  const [disableState, disable] = useActionState(disableTwoFactorAction, null);
  const [dismissed, setDismissed] = useState<unknown>(null);
  // Codes just made (by turning 2FA on or regenerating) are shown until the person says they saved them.
  const fresh = [confirmState, regenState].find((s) => s?.ok && s.data && s !== dismissed);
  const freshCodes = fresh?.ok ? (fresh.data as { codes: string[] }).codes : null;

  return (
    <Card className="flex flex-col gap-5 p-5 sm:p-6" data-testid="two-factor">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{t("twoFactorTitle")}</h2>
        {view.status === "on" ? <Badge tone="green">{t("statusOn")}</Badge> : <Badge>{t("statusOff")}</Badge>}
      </div>
      <p className="text-sm text-slate-600">{t("twoFactorText")}</p>

      {freshCodes && <RecoveryCodesList codes={freshCodes} onDone={() => setDismissed(fresh)} />}

      {view.status === "off" && (
        <form action={start} className="flex flex-col gap-4" noValidate>
          <FormAlert state={startState} />
          <Field label={t("passwordToContinue")} name="password" type="password" autoComplete="current-password" required state={startState} />
          <div className="flex justify-end">
            <SubmitButton>{t("setUp")}</SubmitButton>
          </div>
        </form>
      )}

      {view.status === "pending" && (
        <form action={confirm} className="flex flex-col gap-4" noValidate>
          <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
            <li>{t("stepScan")}</li>
            <li>{t("stepCode")}</li>
          </ol>
          <div className="flex flex-col items-start gap-4 sm:flex-row">
            <div
              className="size-44 shrink-0 rounded-lg border border-slate-200 bg-white p-2 [&>svg]:size-full"
              role="img"
              aria-label={t("qrLabel")}
              data-testid="totp-qr"
              // Our own SVG, made by lib/qr from our own text.
              dangerouslySetInnerHTML={{ __html: view.qr }}
            />
            <div className="min-w-0">
              <p className="text-sm text-slate-600">{t("secretText")}</p>
              <p className="mt-1 break-all rounded-md bg-slate-100 px-2 py-1 font-mono text-sm" data-testid="totp-secret">
                {view.secret}
              </p>
            </div>
          </div>
          <FormAlert state={confirmState} />
          <Field label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required state={confirmState} />
          <div className="flex justify-end">
            <SubmitButton>{t("turnOn")}</SubmitButton>
          </div>
        </form>
      )}

      {view.status === "on" && (
        <>
          <p className="text-sm text-slate-700" data-testid="two-factor-status">
            {t("onSince", { when: format.dateTime(new Date(view.enabledAt), { dateStyle: "medium" }) })} {t("codesRemaining", { count: view.remainingCodes })}
          </p>
          <form action={regenerate} className="flex flex-col gap-3 border-t border-slate-100 pt-4" noValidate>
            <h3 className="font-medium">{t("regenerateTitle")}</h3>
            <p className="text-sm text-slate-600">{t("regenerateText")}</p>
            <FormAlert state={regenState} />
            <Field label={t("passwordToContinue")} name="password" type="password" autoComplete="current-password" required state={regenState} />
            <div className="flex justify-end">
              <SubmitButton variant="secondary">{t("regenerate")}</SubmitButton>
            </div>
          </form>
          {!required && (
            <form action={disable} className="flex flex-col gap-3 border-t border-slate-100 pt-4" noValidate>
              <h3 className="font-medium">{t("disableTitle")}</h3>
              <FormAlert state={disableState} />
              <Field label={t("passwordToContinue")} name="password" type="password" autoComplete="current-password" required state={disableState} />
              <div className="flex justify-end">
                <SubmitButton variant="danger">{t("disable")}</SubmitButton>
              </div>
            </form>
          )}
        </>
      )}
    </Card>
  );
}
