import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ButtonLink } from "@/components/ui/button";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { listForms } from "@/lib/forms/service";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("forms") };
}

export default async function FormsPage() {
  const ctx = await requireStaff("forms.view");
  const t = await getTranslations("forms");
  const rows = await listForms(getDb(), ctx.merchantId);
  const manage = can(ctx.role, "forms.manage");
  const newButton = manage && <ButtonLink href="/forms/new">{t("new")}</ButtonLink>;
  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} actions={newButton} />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={t("emptyTitle")} text={t("emptyText")} action={newButton} />
        ) : (
          <ul className="divide-y divide-slate-100">
            {rows.map(({ form, templateName, submissions }) => (
              <li key={form.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3" data-testid="form-row">
                <div className="flex min-w-0 flex-col">
                  {manage ? (
                    <Link href={`/forms/${form.id}`} className="font-medium text-brand-700 hover:underline">
                      {form.name}
                    </Link>
                  ) : (
                    <span className="font-medium">{form.name}</span>
                  )}
                  <span className="text-sm text-slate-600">{t("issues", { template: templateName })}</span>
                </div>
                <div className="flex items-center gap-3 text-sm text-slate-600">
                  <span>{t("submissions", { count: submissions })}</span>
                  <Badge tone={form.active ? "green" : "gray"}>{form.active ? t("on") : t("off")}</Badge>
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
