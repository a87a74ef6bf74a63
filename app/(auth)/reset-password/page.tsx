import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { isResetTokenUsable } from "@/lib/staff-security/password-reset";
import { ResetPasswordForm } from "./reset-password-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("passwordReset"))("newTitle") };
}

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const t = await getTranslations("passwordReset");
  if (!(await isResetTokenUsable(getDb(), token))) {
    return (
      <Card className="p-6 sm:p-8">
        <h1 className="text-2xl font-semibold tracking-tight">{t("newTitle")}</h1>
        <p role="alert" className="mt-2 text-sm text-red-700">
          {t("invalid")}
        </p>
        <p className="mt-6 text-center text-sm">
          <Link href="/forgot-password" className="font-medium text-brand-600 hover:text-brand-700">
            {t("forgot")}
          </Link>
        </p>
      </Card>
    );
  }
  return <ResetPasswordForm token={token!} />;
}
