import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DefinitionForm } from "@/components/gift-certificates/definition-form";
import { formValuesOf } from "@/components/gift-certificates/form-data";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { saveDefinitionAction } from "../actions";
import { definitionFormOptions } from "../form-options";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("giftCertificates"))("newDefinition") };
}

export default async function NewDefinitionPage({ searchParams }: { searchParams: Promise<{ kind?: string }> }) {
  const kind = (await searchParams).kind === "coupon" ? "coupon" : "gift";
  const ctx = await requireStaff("giftCertificates.manage");
  const t = await getTranslations("giftCertificates");
  const options = await definitionFormOptions(getDb(), ctx.merchantId);
  return (
    <>
      <PageHeader title={t(kind === "coupon" ? "newCoupon" : "newDefinition")} />
      <DefinitionForm action={saveDefinitionAction} values={formValuesOf(null, ctx.merchant.currency, kind)} currency={ctx.merchant.currency} {...options} />
    </>
  );
}
