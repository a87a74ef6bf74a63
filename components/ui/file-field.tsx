"use client";

import { useId, useState } from "react";
import { checkFileSize } from "@/lib/files/limits";
import { useMessage } from "./form";

type Props = { name: string; label: string; hint?: string; accept: string; error?: string; params?: Record<string, string | number>; maxBytes?: number; onChange?: (file: File | null) => void };

/**
 * A labelled file input with its error or hint underneath (for uploads that are not images). With
 * `maxBytes`, a file over the limit is refused here, before any upload, and the choice is cleared so
 * the form cannot send it.
 */
export function FileField({ name, label, hint, accept, error, params, maxBytes, onChange }: Props) {
  const id = useId();
  const message = useMessage();
  const [tooLarge, setTooLarge] = useState<ReturnType<typeof checkFileSize>>(null);
  const shown = tooLarge ? message(tooLarge.message, tooLarge.params) : message(error, params);
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="file"
        accept={accept}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown || hint ? `${id}-note` : undefined}
        className="text-sm file:mr-3 file:rounded-lg file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:font-medium file:text-brand-700 hover:file:bg-brand-100"
        onChange={(e) => {
          const file = e.target.files?.[0] ?? null;
          const refusal = maxBytes === undefined ? null : checkFileSize(file, maxBytes);
          setTooLarge(refusal);
          if (refusal) e.target.value = "";
          onChange?.(refusal ? null : file);
        }}
      />
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
