"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { checkFileSize } from "@/lib/files/limits";
import { buttonClass } from "./button";
import { useMessage } from "./form";

type Props = {
  name: string;
  label: string;
  hint?: string;
  accept: string;
  error?: string;
  params?: Record<string, string | number>;
  maxBytes?: number;
  onChange?: (file: File | null) => void;
};

/**
 * A labelled file input with its error or hint underneath (for uploads that are not images). With
 * `maxBytes`, a file over the limit is refused here, before any upload, and the choice is cleared so
 * the form cannot send it. The browser's own input is visually hidden (it stays focusable and keeps
 * the field's label): its "Choose File / No file chosen" is in the browser's language, not the page's.
 */
export function FileField({ name, label, hint, accept, error, params, maxBytes, onChange }: Props) {
  const id = useId();
  const t = useTranslations("common");
  const message = useMessage();
  const [tooLarge, setTooLarge] = useState<ReturnType<typeof checkFileSize>>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // React resets a form after its action runs; the name shown goes with the choice it cleared.
  useEffect(() => {
    const form = input.current?.form;
    if (!form) return;
    const clear = () => setFileName(null);
    form.addEventListener("reset", clear);
    return () => form.removeEventListener("reset", clear);
  }, []);
  const shown = tooLarge ? message(tooLarge.message, tooLarge.params) : message(error, params);
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} id={`${id}-label`} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex min-w-0 flex-wrap items-center gap-2">
        <input
          ref={input}
          id={id}
          name={name}
          type="file"
          accept={accept}
          aria-labelledby={`${id}-label`}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown || hint ? `${id}-note` : undefined}
          className="peer sr-only"
          onChange={(e) => {
            const file = e.target.files?.[0] ?? null;
            const refusal = maxBytes === undefined ? null : checkFileSize(file, maxBytes);
            setTooLarge(refusal);
            if (refusal) e.target.value = "";
            setFileName(refusal ? null : (file?.name ?? null));
            onChange?.(refusal ? null : file);
          }}
        />
        <label
          htmlFor={id}
          aria-hidden
          className={buttonClass("secondary", "min-h-9 cursor-pointer px-3 peer-focus-visible:ring-2 peer-focus-visible:ring-brand-500")}
        >
          {t("chooseFile")}
        </label>
        <span className="min-w-0 max-w-full truncate text-sm text-slate-600" data-testid={`${name}-file-name`}>
          {fileName ?? t("noFileChosen")}
        </span>
      </div>
      {shown ? (
        <p id={`${id}-note`} role="alert" className="text-sm text-red-600" data-testid={`${name}-error`}>
          {shown}
        </p>
      ) : hint ? (
        <p id={`${id}-note`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
