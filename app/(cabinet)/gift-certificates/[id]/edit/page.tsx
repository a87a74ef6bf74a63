import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DefinitionForm } from "@/components/gift-certificates/definition-form";
import { formValuesOf } from "@/components/gift-certificates/form-data";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { getDefinitionOrThrow } from "@/lib/gift-certificates/definitions";
import { saveDefinitionAction } from "../../actions";
import { definitionFormOptions } from "../../form-options";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("giftCertificates"))("editDefinition") };
}

export default async function EditDefinitionPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireStaff("giftCertificates.manage");
  const t = await getTranslations("giftCertificates");
  const db = getDb();
  const definition = await getDefinitionOrThrow(db, ctx.merchantId, (await params).id);
  const options = await definitionFormOptions(db, ctx.merchantId);
  return (
    <>
      <PageHeader title={t("editDefinition")} description={definition.name} />
      <DefinitionForm action={saveDefinitionAction} values={formValuesOf(definition, ctx.merchant.currency)} currency={ctx.merchant.currency} {...options} />
    </>
  );
}
