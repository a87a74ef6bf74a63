"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { createWebhookAction } from "@/app/(cabinet)/settings/webhooks/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import { WEBHOOK_DESCRIPTION_MAX, WEBHOOK_URL_MAX } from "@/lib/validations/webhooks";
import { EventsFieldset } from "./events-fieldset";
import { WebhookSecret } from "./webhook-secret";

type Created = { id: string; url: string; secret: string };

export function WebhookCreateForm() {
  const t = useTranslations("webhooks");
  const [state, action] = useActionState(createWebhookAction, null);
  // The secret stays on screen until the person says it is saved; a reload loses it for good, by design.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = state?.ok ? (state.data as Created) : null;
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("createTitle")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("createHelp")}</p>
      {created && dismissed !== created.id && <WebhookSecret secret={created.secret} onDone={() => setDismissed(created.id)} />}
      <form action={action} className="mt-4 flex flex-col gap-4" noValidate>
        <FormAlert state={state} />
        <Field label={t("url")} name="url" type="url" required maxLength={WEBHOOK_URL_MAX} autoComplete="off" hint={t("urlHint")} state={state} />
        <Field
          label={t("description")}
          name="description"
          maxLength={WEBHOOK_DESCRIPTION_MAX}
          hint={t("descriptionHint")}
          state={state}
          className="sm:max-w-md"
        />
        <EventsFieldset key={created?.id ?? "new"} defaultEvents={["*"]} state={state} />
        <div className="flex justify-end">
          <SubmitButton>{t("create")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
