"use client";

import clsx from "clsx";
import { useId } from "react";
import { useMessage } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions/result";

/** A message text with its default shown as the placeholder; what was typed survives a refused save. */
export function TemplateField({ label, name, hint, defaultValue, placeholder, maxLength, state }: { label: string; name: string; hint: string; defaultValue: string; placeholder: string; maxLength: number; state: ActionResult | null }) {
  const id = useId();
  const message = useMessage();
  const error = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  const kept = state && !state.ok ? state.values?.[name] : undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={3}
        maxLength={maxLength}
        defaultValue={kept ?? defaultValue}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-note`}
        className={clsx(
          "rounded-lg border bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:ring-2 focus:outline-none",
          error ? "border-red-400 focus:ring-red-200" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100",
        )}
      />
      <p id={`${id}-note`} className={error ? "text-sm text-red-600" : "text-xs text-slate-500"}>
        {error ? message(error) : hint}
      </p>
    </div>
  );
}
