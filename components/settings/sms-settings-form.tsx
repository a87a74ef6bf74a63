"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { saveSmsSettingsAction } from "@/app/(cabinet)/settings/sms/actions";
import { Field } from "@/components/ui/form";
import type { MessagingSettingsView } from "@/lib/messaging/settings";
import { SMS_PLACEHOLDERS } from "@/lib/messaging/templates";
import { CODE_SMS_PER_HOUR_MAX, SMS_PROVIDERS, SMS_TEMPLATE_MAX, type SmsProviderId } from "@/lib/validations/messaging";
import { SecretField } from "./sms-secret-field";
import { ProviderSettingsFrame, useSettingsForm } from "./sms-settings-submit";

type Props = { settings: MessagingSettingsView["sms"]; defaults: { code: string; link: string } };

/** Settings → SMS service: the provider with its credentials and sender, and the two message texts. */
export function SmsSettingsForm({ settings, defaults }: Props) {
  const t = useTranslations("messaging");
  const settingsForm = useSettingsForm(saveSmsSettingsAction);
  const { state } = settingsForm;
  const [provider, setProvider] = useState<SmsProviderId>(settings.provider);
  const [smscAuth, setSmscAuth] = useState(settings.smscAuth);

  return (
    <ProviderSettingsFrame
      testId="sms-settings-form"
      settingsForm={settingsForm}
      unreadable={settings.unreadable}
      provider={{
        label: t("sms.provider"),
        value: provider,
        onChange: setProvider,
        options: SMS_PROVIDERS.map((p) => ({ value: p, label: t(`sms.providers.${p}`) })),
      }}
    >
      {provider === "console" && <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-600">{t("sms.consoleText")}</p>}
      {provider === "smsru" && (
        <SecretField label={t("sms.smsruApiId")} name="smsruSecretApiId" ending={settings.smsruApiIdEnding} hint={t("sms.smsruApiIdHint")} state={state} />
      )}
      {provider === "smsc" && (
        <>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium text-slate-700">{t("sms.smscAuth")}</legend>
            <div className="flex flex-col gap-2 sm:flex-row sm:gap-6">
              {(["password", "apiKey"] as const).map((mode) => (
                <label key={mode} className="flex min-h-10 items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name="smscAuth"
                    value={mode}
                    checked={smscAuth === mode}
                    onChange={() => setSmscAuth(mode)}
                    className="size-4 accent-brand-600"
                  />
                  {t(mode === "password" ? "sms.smscAuthPassword" : "sms.smscAuthApiKey")}
                </label>
              ))}
            </div>
          </fieldset>
          {smscAuth === "password" ? (
            <div className="grid gap-5 sm:grid-cols-2">
              <Field label={t("sms.smscLogin")} name="smscLogin" autoComplete="off" defaultValue={settings.smscLogin} state={state} />
              <SecretField label={t("sms.smscPassword")} name="smscSecretPassword" ending={null} saved={settings.smscPasswordSaved} state={state} />
            </div>
          ) : (
            <SecretField label={t("sms.smscApiKey")} name="smscSecretApiKey" ending={settings.smscApiKeyEnding} hint={t("sms.smscApiKeyHint")} state={state} />
          )}
        </>
      )}
      {provider !== "console" && (
        <Field
          label={t("sms.sender")}
          name="sender"
          autoComplete="off"
          maxLength={15}
          defaultValue={settings.sender}
          hint={t("sms.senderHint")}
          state={state}
          className="sm:max-w-xs"
        />
      )}

      <div className="flex flex-col gap-4 border-t border-slate-100 pt-5">
        <div>
          <h2 className="font-semibold">{t("sms.templatesTitle")}</h2>
          <p className="mt-1 text-sm text-slate-600">{t("sms.templatesHelp")}</p>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="sms-placeholders">
            {SMS_PLACEHOLDERS.map((p) => (
              <div key={p} className="contents">
                <dt className="font-mono text-slate-900">{p}</dt>
                <dd className="text-slate-600">{t(`placeholders.${p.slice(1, -1) as "code" | "link" | "merchant"}`)}</dd>
              </div>
            ))}
          </dl>
        </div>
        <Field
          multiline
          label={t("sms.codeTemplate")}
          name="codeTemplate"
          hint={t("sms.codeTemplateHint")}
          defaultValue={settings.codeTemplate}
          placeholder={defaults.code}
          maxLength={SMS_TEMPLATE_MAX}
          state={state}
        />
        <Field
          multiline
          label={t("sms.linkTemplate")}
          name="linkTemplate"
          hint={t("sms.linkTemplateHint")}
          defaultValue={settings.linkTemplate}
          placeholder={defaults.link}
          maxLength={SMS_TEMPLATE_MAX}
          state={state}
        />
        <Field
          label={t("sms.codeSmsPerHour")}
          name="codeSmsPerHour"
          type="number"
          inputMode="numeric"
          min={1}
          max={CODE_SMS_PER_HOUR_MAX}
          hint={t("sms.codeSmsPerHourHint")}
          defaultValue={settings.codeSmsPerHour}
          state={state}
          className="max-w-xs"
        />
      </div>
    </ProviderSettingsFrame>
  );
}
