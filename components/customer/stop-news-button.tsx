"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { stopNewsAction } from "@/app/(public)/u/[token]/actions";
import { SubmitButton } from "@/components/ui/form";

/** The stop link's one tap: nothing is withdrawn until it is pressed (a link previewer only opens the page). */
export function StopNewsButton({ token, merchant }: { token: string; merchant: string }) {
  const t = useTranslations("pushEvents");
  const [state, action] = useActionState(stopNewsAction, null);
  if (state?.done)
    return (
      <div role="status" data-testid="unsubscribe-done">
        <h1 className="text-lg font-semibold">{t("unsubscribedTitle")}</h1>
        <p className="mt-2 text-sm text-slate-600">{t("unsubscribedText", { merchant })}</p>
      </div>
    );
  return (
    <form action={action} className="space-y-4">
      <h1 className="text-lg font-semibold">{t("unsubscribeAsk", { merchant })}</h1>
      <p className="text-sm text-slate-600">{t("unsubscribeAskText", { merchant })}</p>
      <input type="hidden" name="token" value={token} />
      {state?.invalid && (
        <p role="alert" className="text-sm text-red-700">
          {t("unsubscribeInvalid")}
        </p>
      )}
      <SubmitButton data-testid="unsubscribe-button">{t("unsubscribeButton")}</SubmitButton>
    </form>
  );
}
