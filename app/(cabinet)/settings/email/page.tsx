import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { EmailSettingsForm } from "@/components/settings/email-settings-form";
import { EmailTestForm } from "@/components/settings/email-test-form";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { getMessagingSettingsView } from "@/lib/messaging/settings";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("emailService") };
}

export default async function EmailSettingsPage() {
  const ctx = await requireStaff("messaging.manage");
  const t = await getTranslations("messaging.email");
  const view = await getMessagingSettingsView(getDb(), ctx.merchantId);
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("title")} description={t("subtitle")} />
      <div className="flex flex-col gap-6">
        <EmailSettingsForm settings={view.email} platformFrom={getEnv().EMAIL_FROM} />
        <EmailTestForm />
      </div>
    </div>
  );
}
