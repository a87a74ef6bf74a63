"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";

export type OneTimeSecretTexts = { title: string; warning: string; label: string; copy: string; copied: string; copyFailed: string; done: string };

/**
 * The one showing of a secret (an API key, a webhook signing secret): read-only, selectable, with a
 * copy button and the warning that it will not come back.
 */
export function OneTimeSecret({ secret, texts, testId, onDone }: { secret: string; texts: OneTimeSecretTexts; testId: string; onDone: () => void }) {
  const id = useId();
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  async function copySecret() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy("copied");
    } catch {
      // Clipboard access needs a secure context and permission; the secret stays selectable either way.
      setCopy("failed");
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="mt-4 rounded-xl border border-amber-300 bg-amber-50 p-4" data-testid={testId}>
      <h3 id={`${id}-title`} className="font-semibold text-amber-900">
        {texts.title}
      </h3>
      <p className="mt-1 text-sm text-amber-900">{texts.warning}</p>
      <label htmlFor={id} className="mt-3 block text-sm font-medium text-slate-700">
        {texts.label}
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
          {texts.copy}
        </Button>
      </div>
      <p role="status" className="mt-1 min-h-5 text-sm text-slate-600">
        {copy === "copied" ? texts.copied : copy === "failed" ? texts.copyFailed : ""}
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>{texts.done}</Button>
      </div>
    </section>
  );
}
