import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { EnrolmentForm } from "@/components/settings/enrolment-form";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { isEnrolmentOpen } from "@/lib/merchants/enrolment";
import { qrSvg } from "@/lib/qr";
import { listTemplates } from "@/lib/templates";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("customerPage"))("title") };
}

/** The merchant's public page for customers: its address and QR to print, and whether customers may enrol there. */
export default async function CustomerPageSettings() {
  const ctx = await requireStaff("organisation.manage");
  const t = await getTranslations("customerPage");
  const url = `${getEnv().APP_URL.replace(/\/$/, "")}/m/${ctx.merchant.slug}`;
  const templates = await listTemplates(getDb(), ctx.merchantId, { page: 1, pageSize: 200, archived: false });
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("title")} description={t("subtitle")} />
      <div className="flex flex-col gap-6">
        <Card className="flex flex-col gap-4 p-5 sm:flex-row sm:items-center">
          <div className="size-40 shrink-0 [&>svg]:size-full" role="img" aria-label={t("qr")} dangerouslySetInnerHTML={{ __html: await qrSvg(url) }} />
          <div className="flex min-w-0 flex-col gap-2">
            <p className="text-sm text-slate-600">{t("address")}</p>
            <a href={url} target="_blank" rel="noreferrer" className="font-mono text-sm break-all text-brand-700 underline" data-testid="customer-page-url">
              {url}
            </a>
            <p className="text-xs text-slate-500">{t("qrHint")}</p>
          </div>
        </Card>
        <Card className="p-5">
          <h2 className="mb-3 text-base font-semibold">{t("enrolment")}</h2>
          <EnrolmentForm
            open={isEnrolmentOpen(ctx.merchant)}
            enabled={ctx.merchant.enrolmentEnabled}
            templateId={ctx.merchant.enrolmentTemplateId}
            templates={templates.rows.map(({ template }) => ({ id: template.id, name: template.name }))}
          />
        </Card>
      </div>
    </div>
  );
}
