"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
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
