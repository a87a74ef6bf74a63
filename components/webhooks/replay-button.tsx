"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { replayDeliveryAction } from "@/app/(cabinet)/settings/webhooks/actions";
import { SubmitButton, useMessage } from "@/components/ui/form";

export function ReplayButton({ id, endpointId }: { id: string; endpointId: string }) {
  const t = useTranslations("webhooks");
  const message = useMessage();
  const [state, action] = useActionState(replayDeliveryAction, null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="endpointId" value={endpointId} />
      <SubmitButton variant="secondary">{t("replay")}</SubmitButton>
      <span role="status" className="text-xs text-slate-600">
        {state?.ok ? t("replayed") : state ? message(state.error, state.params) : ""}
      </span>
    </form>
  );
}
