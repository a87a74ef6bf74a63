"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";

/** The one showing of an endpoint's signing secret (at creation and at rotation), with a copy button. */
export function WebhookSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const t = useTranslations("webhooks");
  const id = useId();
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  async function copySecret() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="mt-4 rounded-xl border border-amber-300 bg-amber-50 p-4" data-testid="webhook-secret">
      <h3 id={`${id}-title`} className="font-semibold text-amber-900">
        {t("secretTitle")}
      </h3>
      <p className="mt-1 text-sm text-amber-900">{t("secretWarning")}</p>
      <label htmlFor={id} className="mt-3 block text-sm font-medium text-slate-700">
        {t("secretLabel")}
      </label>
      <div className="mt-1.5 flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
          autoComplete="off"
          className="min-h-10 min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm"
        />
        <Button variant="secondary" onClick={copySecret}>
          {t("copy")}
        </Button>
      </div>
      <p role="status" className="mt-1 min-h-5 text-sm text-slate-600">
        {copy === "copied" ? t("copied") : copy === "failed" ? t("copyFailed") : ""}
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>{t("done")}</Button>
      </div>
    </section>
  );
}
