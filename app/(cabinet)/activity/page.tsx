import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AuditList } from "@/components/audit/audit-list";
import { Card, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { auditActionGroups, listAudit } from "@/lib/audit";
import { requireStaff } from "@/lib/auth/session";
import { listStaff } from "@/lib/staff";
import { auditFiltersSchema } from "@/lib/validations/audit";
import { page as pageParam } from "@/lib/validations/common";

const PAGE_SIZE = 30;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("activity") };
}

type Search = { page?: string; user?: string; action?: string; from?: string; to?: string };

export default async function ActivityPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await requireStaff("audit.view");
  const t = await getTranslations("activity");
  const f = await getTranslations("auditFilters");
  const search = await searchParams;
  const page = pageParam().parse(search.page);
  const filters = auditFiltersSchema.parse(search);
  const db = getDb();
  const [{ rows, total }, staff, groups] = await Promise.all([
    listAudit(db, ctx.merchantId, { page, pageSize: PAGE_SIZE, filters }),
    listStaff(db, ctx.merchantId, { page: 1, pageSize: 200 }),
    auditActionGroups(db, ctx.merchantId),
  ]);
  const query = Object.fromEntries(Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === "string"));
  const exportHref = `/activity/export?${new URLSearchParams(query)}`;
  const control = "min-h-10 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm";
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("subtitle")}
        actions={
          <a
            href={exportHref}
            className="whitespace-nowrap rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50"
            data-testid="audit-export"
          >
            {f("export")}
          </a>
        }
      />
      <Card className="mb-4 p-4">
        <form method="get" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end" aria-label={f("title")}>
          <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
            {f("who")}
            <select name="user" defaultValue={filters.user ?? ""} className={control}>
              <option value="">{f("anyone")}</option>
              {staff.rows.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
            {f("what")}
            <select name="action" defaultValue={filters.action ?? ""} className={control}>
              <option value="">{f("anything")}</option>
              {groups.map((g) => (
                <option key={g} value={g}>
                  {f.has(`groups.${g}`) ? f(`groups.${g}`) : g}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
            {f("from")}
            <input type="date" name="from" defaultValue={filters.from ?? ""} className={control} />
          </label>
          <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
            {f("to")}
            <input type="date" name="to" defaultValue={filters.to ?? ""} className={control} />
          </label>
          <div className="flex gap-2">
            <button type="submit" className="min-h-10 rounded-lg bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
              {f("apply")}
            </button>
            <a href="/activity" className="inline-flex min-h-10 items-center rounded-lg px-3 text-sm text-slate-600 hover:bg-slate-100">
              {f("reset")}
            </a>
          </div>
        </form>
      </Card>
      <Card>
        {rows.length ? <AuditList rows={rows} /> : <p className="px-4 py-10 text-center text-sm text-slate-500">{t("empty")}</p>}
        <Pagination page={page} pageSize={PAGE_SIZE} total={total} basePath="/activity" query={query} />
      </Card>
    </>
  );
}
