"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useId, useRef, type ReactNode } from "react";
import type { FormAction } from "@/lib/actions/result";
import { Button } from "./button";
import { SubmitButton, useMessage } from "./form";

type Props = {
  action: FormAction;
  fields: Record<string, string>;
  label: ReactNode;
  title: string;
  text: string;
  confirmLabel: string;
  variant?: "danger" | "secondary" | "ghost";
};

/** A button that asks first, in a real dialog (Esc closes it), then runs the action once. */
export function ConfirmButton({ action, fields, label, title, text, confirmLabel, variant = "danger" }: Props) {
  const t = useTranslations("common");
  const message = useMessage();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, formAction] = useActionState(action, null);
  useEffect(() => {
    if (state?.ok) dialog.current?.close();
  }, [state]);
  return (
    <>
      <Button variant={variant === "danger" ? "dangerGhost" : variant} onClick={() => dialog.current?.showModal()}>
        {label}
      </Button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-0 shadow-xl">
        <form action={formAction} className="flex flex-col gap-4 p-6">
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <p className="text-sm text-slate-600">{text}</p>
          {state && !state.ok && (
            <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
              {message(state.error, state.params)}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              {t("cancel")}
            </Button>
            <SubmitButton variant={variant === "danger" ? "danger" : "primary"}>{confirmLabel}</SubmitButton>
          </div>
        </form>
      </dialog>
    </>
  );
}
