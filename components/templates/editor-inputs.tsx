"use client";

import clsx from "clsx";
import { useId, type ReactNode } from "react";
import { useMessage } from "@/components/ui/form";

export type Localized = { en: string; ru: string };
export type ErrorAt = (path: string) => string | undefined;

const inputClass = (error?: string) =>
  clsx(
    "min-h-10 w-full rounded-lg border bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2",
    error ? "border-red-400 focus:ring-red-200" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100",
  );

export function ErrorText({ error, id }: { error?: string; id?: string }) {
  const message = useMessage();
  return error ? (
    <p id={id} className="text-sm text-red-600">
      {message(error)}
    </p>
  ) : null;
}

export function TextInput({
  label,
  value,
  onChange,
  error,
  hint,
  multiline,
  ...rest
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: ReactNode;
  multiline?: boolean;
  placeholder?: string;
  maxLength?: number;
  type?: string;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      {multiline ? (
        <textarea
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          rows={3}
          aria-invalid={error ? true : undefined}
          className={inputClass(error)}
          {...rest}
        />
      ) : (
        <input
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          className={inputClass(error)}
          {...rest}
        />
      )}
      {error ? <ErrorText error={error} /> : hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

/** One text in both languages, side by side; Russian may stay empty and falls back to English. */
export function LocalizedInput({
  label,
  value,
  onChange,
  errorAt,
  path,
  multiline,
  hint,
  maxLength,
}: {
  label: string;
  value: Localized;
  onChange: (v: Localized) => void;
  errorAt: ErrorAt;
  path: string;
  multiline?: boolean;
  hint?: ReactNode;
  maxLength?: number;
}) {
  const id = useId();
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="mb-1.5 text-sm font-medium text-slate-700">{label}</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {(["en", "ru"] as const).map((lang) => {
          const error = errorAt(`${path}.${lang}`);
          const a11y = { "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-${lang}-error` : undefined };
          return (
            <div key={lang} className="relative">
              <span className="pointer-events-none absolute top-2.5 right-2 text-[10px] font-semibold text-slate-400 uppercase" aria-hidden>
                {lang}
              </span>
              {multiline ? (
                <textarea
                  aria-label={`${label} (${lang.toUpperCase()})`}
                  value={value[lang]}
                  rows={3}
                  maxLength={maxLength}
                  onChange={(e) => onChange({ ...value, [lang]: e.target.value })}
                  className={clsx(inputClass(error), "pr-8")}
                  {...a11y}
                />
              ) : (
                <input
                  aria-label={`${label} (${lang.toUpperCase()})`}
                  value={value[lang]}
                  maxLength={maxLength}
                  onChange={(e) => onChange({ ...value, [lang]: e.target.value })}
                  className={clsx(inputClass(error), "pr-8")}
                  {...a11y}
                />
              )}
              <ErrorText error={error} id={`${id}-${lang}-error`} />
            </div>
          );
        })}
      </div>
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
    </fieldset>
  );
}

export function SelectInput<T extends string>({
  label,
  value,
  onChange,
  options,
  error,
}: {
  label: string;
  value: T;
  onChange: (v: T) => void;
  options: { value: T; label: string }[];
  error?: string;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)} className={inputClass(error)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText error={error} />
    </div>
  );
}

export function ColorInput({ label, value, onChange, error }: { label: string; value: string; onChange: (v: string) => void; error?: string }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex items-center gap-2">
        <input
          type="color"
          aria-label={`${label} (picker)`}
          value={/^#[0-9a-f]{6}$/i.test(value) ? value : "#000000"}
          onChange={(e) => onChange(e.target.value)}
          className="h-10 w-12 cursor-pointer rounded-lg border border-slate-300 bg-white p-1"
        />
        <input
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value.trim())}
          maxLength={7}
          className={clsx(inputClass(error), "font-mono uppercase")}
        />
      </div>
      <ErrorText error={error} />
    </div>
  );
}
