"use client";

import { useId } from "react";
import { useMessage } from "./form";

/** A labelled file input with its error or hint underneath (for uploads that are not images). */
export function FileField({ name, label, hint, accept, error, params }: { name: string; label: string; hint?: string; accept: string; error?: string; params?: Record<string, string | number> }) {
  const id = useId();
  const message = useMessage();
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
        aria-invalid={error ? true : undefined}
        className="text-sm file:mr-3 file:rounded-lg file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:font-medium file:text-brand-700 hover:file:bg-brand-100"
      />
      {error ? <p className="text-sm text-red-600">{message(error, params)}</p> : hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}
