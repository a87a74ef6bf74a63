import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { openSignUpRequest } from "@/lib/auth/sign-up";
import { ConfirmSignUpForm } from "./confirm-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth"))("confirmTitle") };
}

// The link from the sign-up e-mail; nothing is created by opening it, only by the form below.
export default async function ConfirmSignUpPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const t = await getTranslations("auth");
  const { token } = await searchParams;
  const request = openSignUpRequest(token);
  if (!request || typeof token !== "string") {
    return (
      <Card className="p-6 sm:p-8">
        <h1 className="text-2xl font-semibold tracking-tight">{t("confirmTitle")}</h1>
        <p role="alert" className="mt-3 text-sm text-slate-600">
          {t("signUpLinkInvalid")}
        </p>
        <p className="mt-6 text-center text-sm">
          <Link href="/sign-up" className="font-medium text-brand-600 hover:text-brand-700">
            {t("createAccount")}
          </Link>
        </p>
      </Card>
    );
  }
  return <ConfirmSignUpForm token={token} email={request.email} organisation={request.organisation} />;
}
