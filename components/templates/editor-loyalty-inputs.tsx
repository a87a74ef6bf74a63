"use client";

import clsx from "clsx";
import { useId, useState, type ReactNode } from "react";
import { ErrorText } from "./editor-inputs";

/**
 * A number typed as text: kept as typed (so "1." or "abc" can be told about), handed up parsed (NaN
 * when it is not a number, which the programme's schema then explains).
 */
export function NumberInput({
  label,
  initial,
  parse,
  onChange,
  error,
  hint,
  suffix,
  inputMode = "numeric",
  placeholder,
}: {
  label: string;
  initial: string;
  parse: (text: string) => number | undefined;
  onChange: (value: number | undefined) => void;
  error?: string;
  hint?: ReactNode;
  suffix?: string;
  inputMode?: "numeric" | "decimal";
  placeholder?: string;
}) {
  const id = useId();
  const [text, setText] = useState(initial);
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="relative">
        <input
          id={id}
          value={text}
          inputMode={inputMode}
          autoComplete="off"
          placeholder={placeholder}
          onChange={(e) => {
            setText(e.target.value);
            onChange(parse(e.target.value));
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
          className={clsx(
            "min-h-10 w-full rounded-lg border bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2",
            suffix && "pr-10",
            error ? "border-red-400 focus:ring-red-200" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100",
          )}
        />
        {suffix && (
          <span className="pointer-events-none absolute top-2.5 right-3 text-sm text-slate-400" aria-hidden>
            {suffix}
          </span>
        )}
      </div>
      {error ? (
        <ErrorText error={error} id={`${id}-error`} />
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const compact = (text: string) => text.replace(/[\s\u00a0]/g, "");

export const wholeNumber = (text: string) => (/^-?\d+$/.test(compact(text)) ? Number(compact(text)) : Number.NaN);

/** Money typed in the major unit ("1", "0,50", "10 000") → minor units; NaN when it has more decimals than the currency. */
export const moneyParser = (digits: number) => (text: string) => {
  const match = compact(text)
    .replace(",", ".")
    .match(/^(\d{1,12})(?:\.(\d+))?$/);
  if (!match || (match[2] ?? "").length > digits) return Number.NaN;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? "").padEnd(digits, "0") || "0");
};

export const moneyText = (minor: number, digits: number) => (minor / 10 ** digits).toFixed(digits);

/** A section of the tab: one concern (earning, paying, levels, expiry, the welcome bonus). */
export function Section({ title, text, children, testId }: { title: string; text: string; children: ReactNode; testId?: string }) {
  return (
    <fieldset className="flex flex-col gap-4 border-t border-slate-100 pt-5" data-testid={testId}>
      <legend className="text-sm font-semibold text-slate-900">{title}</legend>
      <p className="-mt-2 text-xs text-slate-500">{text}</p>
      {children}
    </fieldset>
  );
}
