import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { sampleBarcodeSlots } from "@/components/cards/barcode-slots";
import { shownFormat } from "@/lib/templates/till-code";
import { TemplateCardActions } from "@/components/templates/template-card-actions";
import { TemplatePreview } from "@/components/templates/template-preview";
import { ButtonLink } from "@/components/ui/button";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { countCardsByTemplate } from "@/lib/cards/template-cards";
import { requireStaff } from "@/lib/auth/session";
import { TEMPLATES_PAGE_SIZE, listTemplates } from "@/lib/templates";
import { page as pageParam } from "@/lib/validations/common";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("templates") };
}

export default async function TemplatesPage({ searchParams }: { searchParams: Promise<{ page?: string; archived?: string }> }) {
  const ctx = await requireStaff("templates.view");
  const t = await getTranslations("templates");
  const format = await getFormatter();
  const params = await searchParams;
  const archived = params.archived === "1";
  const page = pageParam().parse(params.page);
  const { rows, total } = await listTemplates(getDb(), ctx.merchantId, { page, pageSize: TEMPLATES_PAGE_SIZE, archived });
  const manage = can(ctx.role, "templates.manage");
  const cardCounts = await countCardsByTemplate(
    getDb(),
    ctx.merchantId,
    rows.map((r) => r.template.id),
  );
  const barcodes = await Promise.all(rows.map((r) => sampleBarcodeSlots({ format: shownFormat(r.definition), source: r.definition.barcode.source })));
  const tab = "rounded-md px-3 py-1.5 text-sm font-medium";

  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} actions={manage && <ButtonLink href="/templates/new">{t("new")}</ButtonLink>} />
      <nav className="mb-4 flex gap-1" aria-label={t("title")}>
        <Link
          href="/templates"
          aria-current={!archived ? "page" : undefined}
          className={`${tab} ${!archived ? "bg-white shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900"}`}
        >
          {t("active")}
        </Link>
        <Link
          href="/templates?archived=1"
          aria-current={archived ? "page" : undefined}
          className={`${tab} ${archived ? "bg-white shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900"}`}
        >
          {t("archived")}
        </Link>
      </nav>
      {rows.length === 0 ? (
        <Card>
          <EmptyState
            icon="templates"
            title={archived ? t("emptyArchivedTitle") : t("emptyTitle")}
            text={archived ? t("emptyArchivedText") : t("emptyText")}
            action={!archived && manage && <ButtonLink href="/templates/new">{t("new")}</ButtonLink>}
          />
        </Card>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {rows.map(({ template, definition }, i) => (
            <li key={template.id} data-testid="template-card">
              <Card className="flex h-full flex-col overflow-hidden">
                <Link href={`/templates/${template.id}`} className="block h-44 overflow-hidden bg-slate-100 px-6 pt-5" aria-label={template.name}>
                  <TemplatePreview definition={definition} kind={template.kind} merchantName={ctx.merchant.name} compact barcodes={barcodes[i]} />
                </Link>
                <div className="flex flex-1 flex-col gap-2 p-4">
                  <div className="flex items-start justify-between gap-2">
                    <Link href={`/templates/${template.id}`} className="font-semibold text-slate-900 hover:text-brand-700">
                      {template.name}
                    </Link>
                    <Badge tone="blue">{t(`kinds.${template.kind}.name`)}</Badge>
                  </div>
                  <p className="text-xs text-slate-500">
                    {t("cardsCount", { count: cardCounts.get(template.id) ?? 0 })} · {t("version", { version: template.currentVersion })} ·{" "}
                    {format.relativeTime(template.updatedAt)}
                  </p>
                  {manage && <TemplateCardActions id={template.id} name={template.name} archived={!!template.archivedAt} />}
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageSize={TEMPLATES_PAGE_SIZE} total={total} basePath="/templates" query={{ archived: archived ? "1" : undefined }} />
    </>
  );
}
