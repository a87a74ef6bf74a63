"use client";

import clsx from "clsx";
import { useTranslations } from "next-intl";
import { useId, type ComponentProps, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import type { ActionResult } from "@/lib/actions/result";
import { Button } from "./button";

/** Translates a message key from an action result, falling back to the text itself. */
export function useMessage() {
  const t = useTranslations();
  return (key: string | undefined, params?: Record<string, string | number>) => (key ? (t.has(key) ? t(key, params) : key) : undefined);
}

export function SubmitButton({ children, pendingLabel, variant, disabled, ...props }: ComponentProps<typeof Button> & { pendingLabel?: ReactNode }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} disabled={pending || disabled} aria-busy={pending} {...props}>
      {pending && <span className="size-4 animate-spin rounded-full border-2 border-current border-r-transparent" aria-hidden />}
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}

type FieldProps = ComponentProps<"input"> & {
  label: string;
  name: string;
  hint?: string;
  state?: ActionResult | null;
  /** A text of several lines (a textarea of `rows` lines) instead of one. */
  multiline?: boolean;
  rows?: number;
};

export function Field({ label, name, hint, state, className, defaultValue, multiline, rows = 3, ...props }: FieldProps) {
  const id = useId();
  const message = useMessage();
  const error = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  const kept = state && !state.ok ? state.values?.[name] : undefined;
  const control = {
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
    className: clsx(
      "min-h-10 rounded-lg border bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:outline-none focus:ring-2",
      error ? "border-red-400 focus:ring-red-200" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100",
    ),
  };
  return (
    <div className={clsx("flex flex-col gap-1.5", className)}>
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      {multiline ? (
        <textarea
          id={id}
          name={name}
          rows={rows}
          defaultValue={kept ?? (defaultValue as string | undefined)}
          {...control}
          maxLength={props.maxLength}
          placeholder={props.placeholder}
        />
      ) : (
        <input id={id} name={name} defaultValue={kept ?? defaultValue} {...control} {...props} />
      )}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {message(error, state && !state.ok ? state.params : undefined)}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function SelectField({
  label,
  name,
  state,
  options,
  defaultValue,
  ...props
}: ComponentProps<"select"> & { label: string; name: string; state?: ActionResult | null; options: { value: string; label: string }[] }) {
  const id = useId();
  const message = useMessage();
  const error = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  const kept = state && !state.ok ? state.values?.[name] : undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        // React resets a form after its action, and a select goes back to the option it was first drawn
        // with (a changed defaultValue does not move it): drawing it anew with the kept value keeps it.
        key={kept ?? ""}
        id={id}
        name={name}
        // A controlled select (value + onChange) keeps its own value; giving it a default too is an error.
        defaultValue={props.value === undefined ? (kept ?? defaultValue) : undefined}
        aria-invalid={error ? true : undefined}
        className="min-h-10 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
        {...props}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && <p className="text-sm text-red-600">{message(error)}</p>}
    </div>
  );
}

/** The form-level outcome: an error banner, or a success note once saved. */
export function FormAlert({ state, success }: { state: ActionResult | null; success?: string }) {
  const message = useMessage();
  if (!state) return null;
  if (state.ok) {
    return success ? (
      <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
        {success}
      </p>
    ) : null;
  }
  return (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {message(state.error, state.params)}
    </p>
  );
}
