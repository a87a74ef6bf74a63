import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NewTemplateForm } from "@/components/templates/new-template-form";
import { PageHeader } from "@/components/ui/card";
import { requireStaff } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("templates"))("new") };
}

export default async function NewTemplatePage() {
  await requireStaff("templates.manage");
  const t = await getTranslations("templates");
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("new")} description={t("newHelp")} />
      <NewTemplateForm />
    </div>
  );
}
