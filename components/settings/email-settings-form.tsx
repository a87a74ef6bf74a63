"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { saveEmailSettingsAction } from "@/app/(cabinet)/settings/email/actions";
import { Card } from "@/components/ui/card";
import { Field, FormAlert, SelectField } from "@/components/ui/form";
import type { MessagingSettingsView } from "@/lib/messaging/settings";
import { EMAIL_PROVIDERS, type EmailProviderId } from "@/lib/validations/messaging";
import { SecretField } from "./sms-secret-field";
import { SaveButton, useSettingsForm } from "./sms-settings-submit";

/** Settings → E-mail service: the console, or Resend with its API key and the sender address. */
export function EmailSettingsForm({ settings, platformFrom }: { settings: MessagingSettingsView["email"]; platformFrom: string }) {
  const t = useTranslations("messaging");
  const common = useTranslations("common");
  const { state, pending, form, onSubmit } = useSettingsForm(saveEmailSettingsAction);
  const [provider, setProvider] = useState<EmailProviderId>(settings.provider);
  return (
    <Card className="p-5 sm:p-6">
      <form ref={form} onSubmit={onSubmit} className="flex flex-col gap-5" noValidate data-testid="email-settings-form">
        <FormAlert state={state} success={common("saved")} />
        {settings.unreadable && (
          <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {t("unreadable")}
          </p>
        )}
        <SelectField
          label={t("email.provider")}
          name="provider"
          value={provider}
          onChange={(e) => setProvider(e.target.value as EmailProviderId)}
          options={EMAIL_PROVIDERS.map((p) => ({ value: p, label: t(`email.providers.${p}`) }))}
          state={state}
        />
        {provider === "console" && <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-600">{t("email.consoleText")}</p>}
        {provider === "resend" && (
          <SecretField label={t("email.resendApiKey")} name="resendSecretApiKey" ending={settings.resendApiKeyEnding} hint={t("email.resendApiKeyHint")} state={state} />
        )}
        <Field
          label={t("email.from")}
          name="from"
          autoComplete="off"
          defaultValue={settings.from}
          placeholder={platformFrom}
          hint={t(provider === "resend" ? "email.fromHintResend" : "email.fromHintConsole", { platform: platformFrom })}
          state={state}
        />
        <div className="flex justify-end">
          <SaveButton pending={pending} pendingLabel={common("saving")}>
            {common("save")}
          </SaveButton>
        </div>
      </form>
    </Card>
  );
}
