import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ButtonLink } from "@/components/ui/button";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { listForms } from "@/lib/forms/service";
import { listSources } from "@/lib/forms/sources";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("forms") };
}

export default async function FormsPage() {
  const ctx = await requireStaff("forms.view");
  const t = await getTranslations("forms");
  const [rows, sources] = await Promise.all([listForms(getDb(), ctx.merchantId), listSources(getDb(), ctx.merchantId)]);
  const g = await getTranslations("regGroups");
  const manage = can(ctx.role, "forms.manage");
  const newButton = manage && <ButtonLink href="/forms/new">{t("new")}</ButtonLink>;
  const r = await getTranslations("referrals");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("subtitle")}
        actions={
          <div className="flex flex-wrap gap-2">
            <ButtonLink href="/forms/referrals" variant="secondary">
              {r("open")}
            </ButtonLink>
            {newButton}
          </div>
        }
      />
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
      {rows.length > 0 &&
        (["group", "company"] as const).map((kind) => {
          const list = sources.filter((r) => r.source.kind === kind);
          return (
            <Card key={kind} className="mt-6" data-testid={`${kind}-list`}>
              <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
                <div>
                  <h2 className="text-base font-semibold">{kind === "group" ? g("groups") : g("companies")}</h2>
                  <p className="text-sm text-slate-600">{kind === "group" ? g("groupHelp") : g("companyHelp")}</p>
                </div>
                {manage && (
                  <ButtonLink href={`/forms/sources/new?kind=${kind}`} variant="secondary">
                    {kind === "group" ? g("new") : g("newCompany")}
                  </ButtonLink>
                )}
              </div>
              {list.length === 0 ? (
                <p className="px-4 py-6 text-sm text-slate-600">{kind === "group" ? g("noGroups") : g("noCompanies")}</p>
              ) : (
                <ul className="divide-y divide-slate-100">
                  {list.map(({ source, formName, registrations }) => (
                    <li key={source.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                      <div className="flex min-w-0 flex-col">
                        {manage ? (
                          <Link href={`/forms/sources/${source.id}`} className="font-medium text-brand-700 hover:underline">
                            {source.name}
                          </Link>
                        ) : (
                          <span className="font-medium">{source.name}</span>
                        )}
                        <span className="text-sm text-slate-600">
                          {formName}
                          {source.tag && ` · #${source.tag}`}
                        </span>
                      </div>
                      <div className="flex items-center gap-3 text-sm text-slate-600">
                        <span>
                          {source.maxRegistrations === null
                            ? g("noCap", { count: registrations })
                            : g("ofCap", { count: registrations, max: source.maxRegistrations })}
                        </span>
                        <Badge tone={source.active ? "green" : "gray"}>{source.active ? t("on") : t("off")}</Badge>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          );
        })}
    </>
  );
}
