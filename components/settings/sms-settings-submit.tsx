"use client";

import { useTranslations } from "next-intl";
import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormAlert, SelectField } from "@/components/ui/form";
import type { ActionResult, FormAction } from "@/lib/actions/result";

/**
 * A settings form that is not reset after each save. React resets a form given as `action`, and a
 * reset puts a controlled <select> back to its first option while the page still shows the chosen
 * provider's fields, so the next save would send the wrong provider. Submitting by hand keeps what
 * is on screen; only typed secrets are cleared once saved, so they never linger in the page.
 */
export function useSettingsForm(action: FormAction) {
  const [state, dispatch, pending] = useActionState(action, null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!state?.ok || !form.current) return;
    for (const input of form.current.querySelectorAll<HTMLInputElement>('input[type="password"]')) input.value = "";
  }, [state]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    // Outside a form action, useActionState's dispatch has to run in a transition.
    startTransition(() => dispatch(data));
  };
  return { state: state as ActionResult | null, pending, form, onSubmit };
}

export function SaveButton({ pending, children, pendingLabel }: { pending: boolean; children: ReactNode; pendingLabel: ReactNode }) {
  return (
    <Button type="submit" disabled={pending} aria-busy={pending}>
      {pending && <span className="size-4 animate-spin rounded-full border-2 border-current border-r-transparent" aria-hidden />}
      {pending ? pendingLabel : children}
    </Button>
  );
}

/**
 * The frame both provider settings forms share: the card, the outcome banner, the warning when stored
 * credentials can no longer be opened, the provider choice, then the provider's own fields and Save.
 */
export function ProviderSettingsFrame<P extends string>({
  testId,
  settingsForm,
  unreadable,
  provider,
  children,
}: {
  testId: string;
  settingsForm: ReturnType<typeof useSettingsForm>;
  unreadable: boolean;
  provider: { label: string; value: P; onChange: (value: P) => void; options: { value: P; label: string }[] };
  children: ReactNode;
}) {
  const t = useTranslations("messaging");
  const common = useTranslations("common");
  const { state, pending, form, onSubmit } = settingsForm;
  return (
    <Card className="p-5 sm:p-6">
      <form ref={form} onSubmit={onSubmit} className="flex flex-col gap-5" noValidate data-testid={testId}>
        <FormAlert state={state} success={common("saved")} />
        {unreadable && (
          <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {t("unreadable")}
          </p>
        )}
        <SelectField
          label={provider.label}
          name="provider"
          value={provider.value}
          onChange={(e) => provider.onChange(e.target.value as P)}
          options={provider.options}
          state={state}
        />
        {children}
        <div className="flex justify-end">
          <SaveButton pending={pending} pendingLabel={common("saving")}>
            {common("save")}
          </SaveButton>
        </div>
      </form>
    </Card>
  );
}
