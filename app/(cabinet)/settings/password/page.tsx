import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PasswordForm } from "@/components/settings/password-form";
import { PageHeader } from "@/components/ui/card";
import { requireStaff } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("password") };
}

export default async function PasswordPage() {
  await requireStaff();
  const t = await getTranslations("password");
  return (
    <div className="max-w-xl">
      <PageHeader title={t("title")} description={t("subtitle")} />
      <PasswordForm />
    </div>
  );
}
