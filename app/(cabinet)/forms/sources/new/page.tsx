import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SourceEditor } from "@/components/forms/source-editor";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { sourceFormOptions } from "@/lib/forms/sources";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("forms") };
}

export default async function NewSourcePage({ searchParams }: { searchParams: Promise<{ kind?: string; form?: string }> }) {
  const ctx = await requireStaff("forms.manage");
  const t = await getTranslations("regGroups");
  const { kind: given, form } = await searchParams;
  const kind = given === "company" ? "company" : "group";
  const forms = await sourceFormOptions(getDb(), ctx.merchantId);
  return (
    <div className="max-w-3xl">
      <PageHeader title={kind === "company" ? t("newCompany") : t("new")} description={kind === "company" ? t("companyHelp") : t("groupHelp")} />
      <SourceEditor
        zone={ctx.merchant.timeZone}
        currency={ctx.merchant.currency}
        forms={forms}
        values={{
          kind,
          formId: form ?? forms[0]?.id ?? "",
          name: "",
          tag: "",
          startsAt: "",
          endsAt: "",
          maxRegistrations: "",
          welcomeBonus: "0",
          discount: "",
          levelFloor: "",
          active: true,
        }}
      />
    </div>
  );
}
