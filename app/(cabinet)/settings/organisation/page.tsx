import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LogoForm } from "@/components/settings/logo-form";
import { OrganisationForm } from "@/components/settings/organisation-form";
import { PageHeader } from "@/components/ui/card";
import { requireStaff } from "@/lib/auth/session";
import { CURRENCIES } from "@/lib/validations/merchants";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("organisation") };
}

export default async function OrganisationPage() {
  const ctx = await requireStaff("organisation.manage");
  const t = await getTranslations("organisation");
  const zones = Intl.supportedValuesOf("timeZone");
  const timeZones = zones.includes(ctx.merchant.timeZone) ? zones : [ctx.merchant.timeZone, ...zones];
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("title")} description={t("subtitle")} />
      <div className="flex flex-col gap-6">
        <LogoForm logoUrl={ctx.merchant.logoFileId ? `/api/files/${ctx.merchant.logoFileId}` : null} />
        <OrganisationForm
          merchant={{
            name: ctx.merchant.name,
            legalName: ctx.merchant.legalName,
            taxId: ctx.merchant.taxId,
            legalAddress: ctx.merchant.legalAddress,
            contactEmail: ctx.merchant.contactEmail,
            contactPhone: ctx.merchant.contactPhone,
            timeZone: ctx.merchant.timeZone,
            currency: ctx.merchant.currency,
          }}
          currencies={CURRENCIES}
          timeZones={timeZones}
        />
      </div>
    </div>
  );
}
