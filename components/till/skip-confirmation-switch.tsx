"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { setSkipConfirmationAction } from "@/app/(cabinet)/settings/staff/actions";
import { useMessage } from "@/components/ui/form";

/** The owner's per-member switch on the staff page: may this person complete a till spending without the customer's code (with a reason). */
export function SkipConfirmationSwitch({ id, allowed }: { id: string; allowed: boolean }) {
  const t = useTranslations("till.staff");
  const message = useMessage();
  const [state, action, pending] = useActionState(setSkipConfirmationAction, null);
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={action} className="flex flex-col gap-1">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="allowed" value={allowed ? "false" : "true"} />
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          checked={allowed}
          disabled={pending}
          onChange={() => form.current?.requestSubmit()}
          className="size-4 accent-brand-600"
          data-testid="skip-confirmation-switch"
        />
        {t("maySkip")}
      </label>
      {state && !state.ok && (
        <p role="alert" className="text-sm text-red-600">
          {message(state.error)}
        </p>
      )}
    </form>
  );
}
