"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { saveEmailSettingsAction } from "@/app/(cabinet)/settings/email/actions";
import { Field } from "@/components/ui/form";
import type { MessagingSettingsView } from "@/lib/messaging/settings";
import { EMAIL_PROVIDERS, type EmailProviderId } from "@/lib/validations/messaging";
import { SecretField } from "./sms-secret-field";
import { ProviderSettingsFrame, useSettingsForm } from "./sms-settings-submit";

/** Settings → E-mail service: the console, or Resend with its API key and the sender address. */
export function EmailSettingsForm({ settings, platformFrom }: { settings: MessagingSettingsView["email"]; platformFrom: string }) {
  const t = useTranslations("messaging");
  const settingsForm = useSettingsForm(saveEmailSettingsAction);
  const { state } = settingsForm;
  const [provider, setProvider] = useState<EmailProviderId>(settings.provider);
  return (
    <ProviderSettingsFrame
      testId="email-settings-form"
      settingsForm={settingsForm}
      unreadable={settings.unreadable}
      provider={{
        label: t("email.provider"),
        value: provider,
        onChange: setProvider,
        options: EMAIL_PROVIDERS.map((p) => ({ value: p, label: t(`email.providers.${p}`) })),
      }}
    >
      {provider === "console" && <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-600">{t("email.consoleText")}</p>}
      {provider === "resend" && (
        <SecretField
          label={t("email.resendApiKey")}
          name="resendSecretApiKey"
          ending={settings.resendApiKeyEnding}
          hint={t("email.resendApiKeyHint")}
          state={state}
        />
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
    </ProviderSettingsFrame>
  );
}
