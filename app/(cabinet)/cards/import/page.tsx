import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ImportUploadForm } from "@/components/cards/import-forms";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { listCardImports } from "@/lib/cards/import";
import { listTemplates } from "@/lib/templates";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("cards.import"))("title") };
}

export default async function ImportPage() {
  const ctx = await requireStaff("cards.issue");
  const t = await getTranslations("cards.import");
  const consent = await getTranslations("pushEvents.consentImport");
  const format = await getFormatter();
  const db = getDb();
  const [templates, recent] = await Promise.all([
    listTemplates(db, ctx.merchantId, { page: 1, pageSize: 200, archived: false }),
    listCardImports(db, ctx.merchantId),
  ]);
  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} />
      {/* One column that may shrink below its content on a phone (grid-cols-1 is minmax(0, 1fr)): the sample
          file scrolls inside its box instead of widening the page. */}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card className="min-w-0 p-5 sm:p-6">
          {templates.rows.length ? (
            <ImportUploadForm templates={templates.rows.map(({ template }) => ({ id: template.id, name: template.name }))} />
          ) : (
            <p className="text-sm text-slate-600">{t("noTemplates")}</p>
          )}
        </Card>
        <div className="flex min-w-0 flex-col gap-6">
          <Card className="p-5 text-sm text-slate-700">
            <h2 className="mb-2 font-semibold text-slate-900">{t("formatTitle")}</h2>
            <p className="mb-2">{t("formatText")}</p>
            <p className="mb-2">{consent("formatNote")}</p>
            <pre className="overflow-x-auto rounded-lg bg-slate-50 p-3 font-mono text-xs">
              {"phone;name;email;balance\n+79161234567;Anna Petrova;anna@example.com;150\n8 (916) 765-43-21;Ivan;;0"}
            </pre>
          </Card>
          <Card>
            <h2 className="border-b border-slate-100 px-4 py-3 font-semibold text-slate-900">{t("recent")}</h2>
            {recent.length ? (
              <ul className="divide-y divide-slate-100">
                {recent.map((r) => (
                  <li key={r.id} className="flex items-center justify-between gap-3 px-4 py-3 text-sm">
                    <div className="min-w-0">
                      <Link href={`/cards/import/${r.id}`} className="block truncate font-medium text-brand-700 hover:underline">
                        {r.fileName}
                      </Link>
                      <p className="text-xs text-slate-500">
                        {format.relativeTime(r.createdAt)} · {t("issuedOf", { issued: r.issued, valid: r.valid })}
                      </p>
                    </div>
                    <Badge tone={r.status === "done" ? "green" : r.status === "failed" ? "red" : r.status === "cancelled" ? "gray" : "blue"}>
                      {t(`statuses.${r.status}`)}
                    </Badge>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="px-4 py-6 text-center text-sm text-slate-500">{t("noRecent")}</p>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
