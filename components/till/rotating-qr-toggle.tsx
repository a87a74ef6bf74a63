"use client";

import { useTranslations } from "next-intl";

/** The template's "rotating QR" against copying (lib/till/qr): the customer's page shows a signed QR that changes every day. */
export function RotatingQrToggle({ value, onChange }: { value: boolean | undefined; onChange: (value: boolean) => void }) {
  const t = useTranslations("till.template");
  return (
    <label className="flex gap-3 rounded-lg border border-slate-200 p-3 text-sm" data-testid="rotating-qr">
      <input type="checkbox" checked={!!value} onChange={(e) => onChange(e.target.checked)} className="mt-0.5 size-4 shrink-0 accent-brand-600" />
      <span>
        <span className="block font-medium text-slate-900">{t("rotatingQr")}</span>
        <span className="block text-slate-600">{t("rotatingQrHint")}</span>
      </span>
    </label>
  );
}
