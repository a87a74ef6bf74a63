import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { SmsCheckPanel } from "@/components/settings/sms-check-panel";
import { SmsSettingsForm } from "@/components/settings/sms-settings-form";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { getMessagingSettingsView } from "@/lib/messaging/settings";
import { DEFAULT_SMS } from "@/lib/messaging/templates";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("smsService") };
}

export default async function SmsSettingsPage() {
  const ctx = await requireStaff("messaging.manage");
  const t = await getTranslations("messaging.sms");
  const lang = (await getLocale()) === "en" ? "en" : "ru";
  const view = await getMessagingSettingsView(getDb(), ctx.merchantId);
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("title")} description={t("subtitle")} />
      <div className="flex flex-col gap-6">
        <SmsSettingsForm settings={view.sms} defaults={{ code: DEFAULT_SMS.code[lang], link: DEFAULT_SMS.link[lang] }} />
        <SmsCheckPanel provider={view.sms.provider} />
      </div>
    </div>
  );
}
