import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { FormEditor } from "@/components/forms/form-editor";
import { LinkPanel } from "@/components/forms/link-panel";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { formLink } from "@/lib/forms/look";
import { getFormOrThrow } from "@/lib/forms/service";
import { formTemplateOptions } from "../templates";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("forms") };
}

export default async function FormPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ saved?: string }> }) {
  const ctx = await requireStaff("forms.manage");
  const t = await getTranslations("forms");
  const form = await getFormOrThrow(getDb(), ctx.merchantId, (await params).id);
  const { saved } = await searchParams;
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <PageHeader title={form.name} description={t("versionOf", { version: form.version })} />
      {saved && (
        <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {t("saved")}
        </p>
      )}
      <Card className="p-5 sm:p-6">
        <LinkPanel url={formLink(getEnv().APP_URL, form.token)} />
      </Card>
      <FormEditor key={form.version} form={form} templates={await formTemplateOptions(getDb(), ctx.merchantId)} />
    </div>
  );
}
