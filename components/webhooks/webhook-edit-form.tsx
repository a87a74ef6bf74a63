"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { replayFailedSinceAction, rotateWebhookSecretAction, sendTestWebhookAction, updateWebhookAction } from "@/app/(cabinet)/settings/webhooks/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SubmitButton } from "@/components/ui/form";
import { WEBHOOK_DESCRIPTION_MAX, WEBHOOK_URL_MAX } from "@/lib/validations/webhooks";
import { EventsFieldset } from "./events-fieldset";
import { WebhookSecret } from "./webhook-secret";

type Endpoint = { id: string; url: string; description: string; events: string[]; enabled: boolean };

export function WebhookEditForm({ endpoint }: { endpoint: Endpoint }) {
  const t = useTranslations("webhooks");
  const [state, action] = useActionState(updateWebhookAction, null);
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("editTitle")}</h2>
      <form action={action} className="mt-4 flex flex-col gap-4" noValidate>
        <FormAlert state={state} success={t("saved")} />
        <input type="hidden" name="id" value={endpoint.id} />
        <Field label={t("url")} name="url" type="url" required maxLength={WEBHOOK_URL_MAX} defaultValue={endpoint.url} autoComplete="off" state={state} />
        <Field
          label={t("description")}
          name="description"
          maxLength={WEBHOOK_DESCRIPTION_MAX}
          defaultValue={endpoint.description}
          state={state}
          className="sm:max-w-md"
        />
        <EventsFieldset defaultEvents={endpoint.events} state={state} />
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" name="enabled" defaultChecked={endpoint.enabled} className="size-4 accent-brand-600" />
          {t("enabledLabel")}
        </label>
        <div className="flex justify-end">
          <SubmitButton>{t("save")}</SubmitButton>
        </div>
      </form>
    </Card>
  );
}

/** Rotate the secret (shown once) and send a test event. */
export function WebhookTools({ id, enabled }: { id: string; enabled: boolean }) {
  const t = useTranslations("webhooks");
  const [rotated, rotate] = useActionState(rotateWebhookSecretAction, null);
  const [tested, test] = useActionState(sendTestWebhookAction, null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const secret = rotated?.ok ? (rotated.data as { secret: string }).secret : null;
  return (
    <Card className="p-5 sm:p-6">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <form action={rotate} className="flex flex-col gap-2 sm:max-w-md">
          <input type="hidden" name="id" value={id} />
          <p className="text-sm text-slate-600">{t("rotateHelp")}</p>
          <div>
            <SubmitButton variant="secondary">{t("rotate")}</SubmitButton>
          </div>
        </form>
        <form action={test} className="flex flex-col gap-2">
          <input type="hidden" name="id" value={id} />
          <SubmitButton disabled={!enabled}>{t("sendTest")}</SubmitButton>
        </form>
      </div>
      <FormAlert state={tested} success={t("testSent")} />
      <FormAlert state={rotated && !rotated.ok ? rotated : null} />
      {secret && dismissed !== secret && <WebhookSecret secret={secret} onDone={() => setDismissed(secret)} />}
    </Card>
  );
}

/** Replay every failed delivery since a time (the browser's local time, sent as an instant). */
export function ReplayFailedForm({ id, enabled }: { id: string; enabled: boolean }) {
  const t = useTranslations("webhooks");
  const [state, action] = useActionState(replayFailedSinceAction, null);
  const [local, setLocal] = useState(() => {
    const d = new Date(Date.now() - 24 * 3600_000);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  });
  const count = state?.ok ? (state.data as { count: number }).count : null;
  return (
    <Card className="p-5 sm:p-6">
      <h2 className="font-semibold">{t("replayFailedTitle")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("replayFailedHelp")}</p>
      <form action={action} className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-end">
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="since" value={local ? new Date(local).toISOString() : ""} />
        <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
          {t("since")}
          <input
            type="datetime-local"
            value={local}
            onChange={(e) => setLocal(e.target.value)}
            className="min-h-10 rounded-lg border border-slate-300 px-3 py-2 text-sm"
          />
        </label>
        <SubmitButton variant="secondary" disabled={!enabled}>
          {t("replayFailed")}
        </SubmitButton>
      </form>
      <div className="mt-2">
        <FormAlert state={state && !state.ok ? state : null} />
        {count !== null && (
          <p role="status" className="text-sm text-slate-700">
            {t("replayQueued", { count })}
          </p>
        )}
      </div>
    </Card>
  );
}
