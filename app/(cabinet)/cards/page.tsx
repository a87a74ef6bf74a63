import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { STATUS_TONE, statusKey } from "@/components/cards/card-status-badge";
import { CardTable } from "@/components/cards/card-table";
import { ButtonLink } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { CARDS_PAGE_SIZE, listCards } from "@/lib/cards";
import { CARD_STATUSES } from "@/lib/cards/statuses";
import { listTemplates } from "@/lib/templates";
import { cardFiltersFromQuery } from "@/lib/cards/filters";
import { page as pageParam } from "@/lib/validations/common";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("cards") };
}

type Search = { page?: string; q?: string; template?: string; status?: string; deleted?: string };

export default async function CardsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await requireStaff("cards.view");
  const t = await getTranslations("cards");
  const dataRights = await getTranslations("dataRights");
  const format = await getFormatter();
  const params = await searchParams;
  const page = pageParam().parse(params.page);
  const filters = cardFiltersFromQuery(params, ctx.merchant.country);
  const db = getDb();
  const [{ rows, total }, templates] = await Promise.all([
    listCards(db, ctx.merchantId, filters, { page, pageSize: CARDS_PAGE_SIZE }),
    listTemplates(db, ctx.merchantId, { page: 1, pageSize: 200, archived: false }),
  ]);
  const issue = can(ctx.role, "cards.issue");
  const filtered = !!(filters.search || filters.templateId || filters.status);
  const control =
    "min-h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none";

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("subtitle")}
        actions={
          issue && (
            <>
              {can(ctx.role, "cards.manage") && (
                <ButtonLink href="/cards/wallet-log" variant="ghost">
                  {t("walletLog.open")}
                </ButtonLink>
              )}
              {can(ctx.role, "customers.dataRights") && (
                <ButtonLink href="/cards/data-requests" variant="ghost">
                  {dataRights("requestsOpen")}
                </ButtonLink>
              )}
              <ButtonLink href="/cards/import" variant="secondary">
                {t("import.open")}
              </ButtonLink>
              <ButtonLink href="/cards/new">{t("new")}</ButtonLink>
            </>
          )
        }
      />
      {params.deleted && (
        <p role="status" className="mb-4 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {t("deletedNotice")}
        </p>
      )}
      <Card>
        {/* Keyed by the filters: after "Clear filters" the fields show what the list is filtered by, not what was typed before. */}
        <form
          key={`${filters.search ?? ""}|${filters.templateId ?? ""}|${filters.status ?? ""}`}
          className="grid gap-2 border-b border-slate-100 p-3 sm:grid-cols-[1fr_auto_auto_auto]"
          role="search"
        >
          <label htmlFor="q" className="sr-only">
            {t("search")}
          </label>
          <input id="q" name="q" type="search" defaultValue={filters.search} placeholder={t("search")} className={control} />
          <label htmlFor="template" className="sr-only">
            {t("template")}
          </label>
          <select id="template" name="template" defaultValue={filters.templateId ?? ""} className={control}>
            <option value="">{t("allTemplates")}</option>
            {templates.rows.map(({ template }) => (
              <option key={template.id} value={template.id}>
                {template.name}
              </option>
            ))}
          </select>
          <label htmlFor="status" className="sr-only">
            {t("statusLabel")}
          </label>
          <select id="status" name="status" defaultValue={filters.status ?? ""} className={control}>
            <option value="">{t("allStatuses")}</option>
            {CARD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
          <button type="submit" className="min-h-10 rounded-lg border border-slate-300 bg-white px-4 text-sm font-medium hover:bg-slate-50">
            {t("find")}
          </button>
        </form>
        {rows.length === 0 ? (
          filtered ? (
            <EmptyState
              icon="search"
              title={t("noMatchTitle")}
              text={t("noMatchText")}
              action={
                <ButtonLink href="/cards" variant="secondary">
                  {t("clearFilters")}
                </ButtonLink>
              }
            />
          ) : (
            <EmptyState icon="cards" title={t("emptyTitle")} text={t("emptyText")} action={issue && <ButtonLink href="/cards/new">{t("new")}</ButtonLink>} />
          )
        ) : (
          <CardTable
            rows={rows.map(({ card, customer, templateName }) => ({
              id: card.id,
              number: card.number,
              holder: customer?.name ?? "",
              contact: [customer?.phone, customer?.email].filter(Boolean).join(" · "),
              template: templateName,
              status: card.status,
              statusLabel: t(`status.${statusKey(card)}`),
              tone: STATUS_TONE[card.status],
              changed: format.relativeTime(card.updatedAt),
            }))}
            total={total}
            filters={{ q: filters.search, template: filters.templateId, status: filters.status }}
            canSend={issue}
          />
        )}
        <Pagination
          page={page}
          pageSize={CARDS_PAGE_SIZE}
          total={total}
          basePath="/cards"
          query={{ q: filters.search, template: filters.templateId, status: filters.status }}
        />
      </Card>
    </>
  );
}
