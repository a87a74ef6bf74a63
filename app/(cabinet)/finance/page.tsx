import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { FINANCE_PAGE_SIZE, listFinance } from "@/lib/finance";
import { page as pageParam } from "@/lib/validations/common";
import { FINANCE_STATUSES, FINANCE_TYPES, financeFiltersSchema } from "@/lib/validations/finance";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("finance") };
}

type Search = { page?: string; type?: string; status?: string; from?: string; to?: string };

export default async function FinancePage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await requireStaff("finance.view");
  const t = await getTranslations("finance");
  const format = await getFormatter();
  const search = await searchParams;
  const page = pageParam().parse(search.page);
  const filters = financeFiltersSchema.parse(search);
  const { rows, total, months } = await listFinance(getDb(), ctx.merchantId, { page, pageSize: FINANCE_PAGE_SIZE, filters });
  const money = (minor: number | null, currency: string | null) =>
    minor === null || !currency ? "—" : format.number(minor / 100, { style: "currency", currency, minimumFractionDigits: 2 });
  const query = Object.fromEntries(Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === "string"));
  const control = "min-h-10 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm";
  const label = "flex flex-col gap-1.5 text-sm font-medium text-slate-700";
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("subtitle")}
        actions={
          <a
            href={`/finance/export?${new URLSearchParams(query)}`}
            className="whitespace-nowrap rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50"
            data-testid="finance-export"
          >
            {t("export")}
          </a>
        }
      />
      <Card className="mb-4 p-4">
        <form method="get" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end" aria-label={t("filters")}>
          <label className={label}>
            {t("type")}
            <select name="type" defaultValue={filters.type ?? ""} className={control}>
              <option value="">{t("any")}</option>
              {FINANCE_TYPES.map((k) => (
                <option key={k} value={k}>
                  {t(`types.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className={label}>
            {t("status")}
            <select name="status" defaultValue={filters.status ?? ""} className={control}>
              <option value="">{t("any")}</option>
              {FINANCE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`statuses.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className={label}>
            {t("from")}
            <input type="month" name="from" defaultValue={filters.from ?? ""} className={control} />
          </label>
          <label className={label}>
            {t("to")}
            <input type="month" name="to" defaultValue={filters.to ?? ""} className={control} />
          </label>
          <div className="flex gap-2">
            <button type="submit" className="min-h-10 rounded-lg bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
              {t("apply")}
            </button>
            <a href="/finance" className="inline-flex min-h-10 items-center rounded-lg px-3 text-sm text-slate-600 hover:bg-slate-100">
              {t("reset")}
            </a>
          </div>
        </form>
      </Card>
      {months.length > 0 && (
        <Card className="mb-4 overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="finance-months">
            <caption className="px-4 pt-3 text-left font-semibold">{t("monthsTitle")}</caption>
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">{t("month")}</th>
                <th className="px-4 py-2 font-medium">{t("type")}</th>
                <th className="px-4 py-2 font-medium">{t("operations")}</th>
                <th className="px-4 py-2 text-right font-medium">{t("amount")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {months.map((m) => (
                <tr key={`${m.month}-${m.type}-${m.currency}`}>
                  <td className="px-4 py-2">{m.month}</td>
                  <td className="px-4 py-2">{t(`types.${m.type}`)}</td>
                  <td className="px-4 py-2">{m.operations}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{money(m.amountMinor, m.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <Card className="overflow-x-auto">
        {rows.length === 0 ? (
          <p className="px-4 py-10 text-center text-sm text-slate-500">{t("empty")}</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="finance-list">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">{t("date")}</th>
                <th className="px-4 py-2 font-medium">{t("type")}</th>
                <th className="px-4 py-2 font-medium">{t("document")}</th>
                <th className="px-4 py-2 font-medium">{t("note")}</th>
                <th className="px-4 py-2 font-medium">{t("status")}</th>
                <th className="px-4 py-2 text-right font-medium">{t("amount")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="whitespace-nowrap px-4 py-2">{format.dateTime(r.createdAt, { dateStyle: "medium", timeStyle: "short" })}</td>
                  <td className="px-4 py-2">{t(`types.${r.type}`)}</td>
                  <td className="px-4 py-2 font-mono text-xs">{r.document ?? "—"}</td>
                  <td className="px-4 py-2 text-slate-600">{r.note ?? "—"}</td>
                  <td className="px-4 py-2">
                    <Badge tone={r.status === "failed" ? "red" : ["sent", "delivered", "completed", "sold"].includes(r.status) ? "green" : "gray"}>
                      {t(`statuses.${r.status}`)}
                    </Badge>
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{money(r.amountMinor, r.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pagination page={page} pageSize={FINANCE_PAGE_SIZE} total={total} basePath="/finance" query={query} />
      </Card>
    </>
  );
}
