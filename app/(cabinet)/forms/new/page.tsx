import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { FormEditor } from "@/components/forms/form-editor";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { formTemplateOptions } from "../templates";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("forms"))("new") };
}

export default async function NewFormPage() {
  const ctx = await requireStaff("forms.manage");
  const t = await getTranslations("forms");
  return (
    <div className="max-w-4xl">
      <PageHeader title={t("new")} description={t("formHelp")} />
      <FormEditor templates={await formTemplateOptions(getDb(), ctx.merchantId)} />
    </div>
  );
}
