"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** The one showing of the recovery codes: listed, copyable, with the warning that they will not come back. */
export function RecoveryCodesList({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const t = useTranslations("security");
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <section className="rounded-xl border border-amber-300 bg-amber-50 p-4" data-testid="recovery-codes" aria-labelledby="recovery-codes-title">
      <h3 id="recovery-codes-title" className="font-semibold text-amber-900">
        {t("codesTitle")}
      </h3>
      <p className="mt-1 text-sm text-amber-900">{t("codesWarning")}</p>
      <ol className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 rounded-lg bg-white p-3 font-mono text-sm sm:grid-cols-2">
        {codes.map((c) => (
          <li key={c} data-testid="recovery-code">
            {c}
          </li>
        ))}
      </ol>
      <p role="status" className="mt-1 min-h-5 text-sm text-slate-600">
        {copied === "copied" ? t("copied") : copied === "failed" ? t("copyFailed") : ""}
      </p>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={copy}>
          {t("copyCodes")}
        </Button>
        <Button onClick={onDone}>{t("codesSaved")}</Button>
      </div>
    </section>
  );
}
