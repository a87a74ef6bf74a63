import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { BarsChart, DonutChart, LinesChart, ReportSection } from "@/components/reports/report-charts";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { formatMoney } from "@/lib/format/money";
import { listLocations } from "@/lib/locations";
import { sourceOptions } from "@/lib/forms/sources";
import { CARD_SOURCES, dayIn } from "@/lib/reports/dimensions";
import { filtersQuery, PRESETS, reportFiltersFromQuery } from "@/lib/reports/filters";
import { REPORTS, reportsFreshness, type ReportData } from "@/lib/reports/queries";
import { reportTable } from "@/lib/reports/tables";
import { listTemplates } from "@/lib/templates";
import type { ReportName } from "@/lib/validations/reports";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("reports") };
}

type Search = Record<string, string | undefined>;

const CAMPAIGN_BARS = [
  ["appleAccepted", "apple"],
  ["appleFailed", "apple"],
  ["googleAccepted", "google"],
  ["googleQuota", "google"],
  ["googleFailed", "google"],
] as const;

export default async function ReportsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await requireStaff("reports.view");
  const t = await getTranslations("reports");
  const format = await getFormatter();
  const locale = await getLocale();
  const params = await searchParams;
  const { filters, preset } = reportFiltersFromQuery(params, dayIn(ctx.merchant.timeZone, new Date()));
  const db = getDb();
  const names = Object.keys(REPORTS) as ReportName[];
  const [results, freshness, templates, locations] = await Promise.all([
    Promise.all(names.map((n) => REPORTS[n](db, ctx.merchantId, filters))),
    reportsFreshness(db),
    listTemplates(db, ctx.merchantId, { page: 1, pageSize: 200, archived: false }),
    listLocations(db, ctx.merchantId, { page: 1, pageSize: 200 }),
  ]);
  const links = await sourceOptions(db, ctx.merchantId);
  const sourceLabel = (s: string) =>
    (CARD_SOURCES as readonly string[]).includes(s) ? t(`sources.${s}`) : (links.find((l) => l.value === s)?.name ?? t("sources.other"));
  const data = Object.fromEntries(names.map((n, i) => [n, results[i]])) as ReportData;
  const query = filtersQuery(filters);
  const csv = (n: ReportName) => `/reports/export?report=${n}&${query}`;
  const section = (n: ReportName, empty: boolean, children: React.ReactNode, description?: string) => (
    <ReportSection
      id={n}
      title={t(`titles.${n}`)}
      description={description}
      empty={empty}
      csvHref={csv(n)}
      table={reportTable(n, data[n] as never, { total: t("columns.total") })}
    >
      {children}
    </ReportSection>
  );
  const sum = (rows: Record<string, unknown>[], keys: string[]) => rows.reduce((a, r) => a + keys.reduce((b, k) => b + Number(r[k] ?? 0), 0), 0);
  const statuses = data["card-statuses"];
  const devices = data["device-types"];
  const conversion = data.conversion;
  const loyalty = data.loyalty;
  // Delivered pushes per campaign and in total, one stack per platform.
  const pushes = data.pushes;
  const campaignBars = [
    ...pushes.campaigns.map((c) => ({ ...c, campaign: c.deleted ? t("deletedCampaign", { name: c.name }) : c.name })),
    { ...pushes.total, campaign: t("columns.total") },
  ].map((c) => ({
    campaign: c.campaign,
    appleAccepted: c.apple.accepted,
    appleFailed: c.apple.failed,
    googleAccepted: c.google.accepted,
    googleQuota: c.google.quota,
    googleFailed: c.google.failed,
  }));
  const control =
    "min-h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none";
  const money = (minor: number) => formatMoney(minor, ctx.merchant.currency, locale);
  const duration = (s: number | null) =>
    s === null
      ? "—"
      : s < 3600
        ? t("minutes", { n: Math.round(s / 60) })
        : s < 172_800
          ? t("hours", { n: Math.round(s / 3600) })
          : t("days", { n: Math.round(s / 86400) });

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("subtitle")}
        meta={
          <p className="text-xs text-slate-500" data-testid="reports-freshness">
            {freshness.foldedAt ? t("freshness", { at: format.dateTime(freshness.foldedAt, "moment") }) : t("freshnessNever")}
            {freshness.waiting > 0 && ` · ${t("waiting", { n: freshness.waiting })}`}
          </p>
        }
      />
      <form
        className="mb-6 grid gap-2 rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:grid-cols-3 lg:grid-cols-7"
        role="search"
        aria-label={t("filters")}
      >
        <label className="text-xs text-slate-600">
          {t("period")}
          <select name="period" defaultValue={preset} className={control} data-testid="filter-period">
            {Object.keys(PRESETS).map((p) => (
              <option key={p} value={p}>
                {t(`presets.${p}`)}
              </option>
            ))}
            <option value="custom">{t("presets.custom")}</option>
          </select>
        </label>
        <label className="text-xs text-slate-600">
          {t("from")}
          <input type="date" name="from" defaultValue={filters.from} className={control} />
        </label>
        <label className="text-xs text-slate-600">
          {t("to")}
          <input type="date" name="to" defaultValue={filters.to} className={control} />
        </label>
        <label className="text-xs text-slate-600">
          {t("granularity")}
          <select name="granularity" defaultValue={filters.granularity} className={control} data-testid="filter-granularity">
            {(["day", "week", "month"] as const).map((g) => (
              <option key={g} value={g}>
                {t(`granularities.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          {t("template")}
          <select name="template" defaultValue={filters.templateId ?? ""} className={control} data-testid="filter-template">
            <option value="">{t("allTemplates")}</option>
            {templates.rows.map(({ template: tpl }) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          {t("location")}
          <select name="location" defaultValue={filters.locationId ?? ""} className={control}>
            <option value="">{t("allLocations")}</option>
            {locations.rows.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          {t("source")}
          <select name="source" defaultValue={filters.source ?? ""} className={control}>
            <option value="">{t("allSources")}</option>
            {CARD_SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(`sources.${s}`)}
              </option>
            ))}
            {(["group", "company"] as const).map(
              (kind) =>
                links.some((l) => l.kind === kind) && (
                  <optgroup key={kind} label={t(`sources.${kind}s`)}>
                    {links
                      .filter((l) => l.kind === kind)
                      .map((l) => (
                        <option key={l.value} value={l.value}>
                          {l.name}
                        </option>
                      ))}
                  </optgroup>
                ),
            )}
          </select>
        </label>
        <p className="text-xs text-slate-500 sm:col-span-2 lg:col-span-6">{t("customHint", { zone: ctx.merchant.timeZone })}</p>
        <button type="submit" className="min-h-10 rounded-lg bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700" data-testid="filter-apply">
          {t("apply")}
        </button>
      </form>

      <div className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="reports-totals">
        {[
          ["issued", format.number(conversion.total.issued)],
          ["conversion", `${Math.round(conversion.total.share * 1000) / 10}%`],
          ["medianInstall", duration(conversion.total.medianSeconds)],
          ["activeMembers", format.number(loyalty.total.activeMembers)],
          ["revenue", money(loyalty.total.revenue)],
          ["averageReceipt", money(loyalty.total.averageReceipt)],
        ].map(([key, value]) => (
          <div key={key} className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
            <p className="text-xs text-slate-600">{t(`totals.${key}`)}</p>
            <p className="mt-1 text-xl font-semibold text-slate-900 tabular-nums" data-testid={`total-${key}`}>
              {value}
            </p>
          </div>
        ))}
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        {section(
          "card-statuses",
          sum([statuses], Object.keys(statuses)) === 0,
          <DonutChart data={Object.entries(statuses).map(([k, v]) => ({ name: t(`statuses.${k}`), value: v }))} />,
          t("currentState"),
        )}
        {section(
          "device-types",
          sum([devices], Object.keys(devices)) === 0,
          <DonutChart data={Object.entries(devices).map(([k, v]) => ({ name: t(`devices.${k}`), value: v }))} />,
          t("currentState"),
        )}
        {section(
          "card-history",
          sum(data["card-history"], ["issued", "installed", "removed"]) === 0,
          <LinesChart data={data["card-history"]} lines={["issued", "installed", "removed"].map((k) => ({ key: k, name: t(`columns.${k}`) }))} />,
        )}
        {section(
          "device-history",
          sum(data["device-history"], ["iphone", "watch", "android"]) === 0,
          <LinesChart data={data["device-history"]} lines={["iphone", "watch", "android"].map((k) => ({ key: k, name: t(`devices.${k}`) }))} />,
        )}
        {section(
          "conversion",
          conversion.total.issued === 0,
          <LinesChart data={conversion.periods} lines={[{ key: "share", name: t("columns.share") }]} percent />,
          t("conversionNote", { median: duration(conversion.total.medianSeconds) }),
        )}
        {section(
          "activations",
          sum(data.activations.periods, ["cards", "devices"]) === 0,
          <BarsChart data={data.activations.periods} bars={["cards", "devices"].map((k) => ({ key: k, name: t(`columns.${k}`) }))} />,
          data.activations.bySource.map((s) => `${sourceLabel(s.source)}: ${s.cards}`).join(" · ") || undefined,
        )}
        {section(
          "loyalty",
          sum(loyalty.periods, ["accrued", "redeemed", "expired", "purchases"]) === 0,
          <BarsChart data={loyalty.periods} bars={["accrued", "redeemed", "expired"].map((k) => ({ key: k, name: t(`columns.${k}`) }))} />,
          t("loyaltyNote", { purchases: loyalty.total.purchases, members: loyalty.total.activeMembers }),
        )}
        {section(
          "pushes",
          pushes.campaigns.length === 0 && sum(pushes.periods, ["sent", "failed"]) === 0,
          pushes.campaigns.length ? (
            <BarsChart data={campaignBars} xKey="campaign" bars={CAMPAIGN_BARS.map(([key, stack]) => ({ key, stack, name: t(`columns.${key}`) }))} />
          ) : (
            <BarsChart data={pushes.periods} bars={["sent", "failed"].map((k) => ({ key: k, name: t(`columns.${k}`) }))} stacked />
          ),
          pushes.campaigns.length ? t("campaignPushesNote") : t("pushesNote"),
        )}
      </div>

      {loyalty.byLocation.length > 0 && (
        <section className="mt-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="report-locations">
          <h2 className="mb-2 text-base font-semibold text-slate-900">{t("byLocation")}</h2>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="text-xs text-slate-600">
                  <th className="px-2 py-1">{t("location")}</th>
                  <th className="px-2 py-1">{t("columns.purchases")}</th>
                  <th className="px-2 py-1">{t("columns.revenue")}</th>
                  <th className="px-2 py-1">{t("columns.accrued")}</th>
                  <th className="px-2 py-1">{t("columns.redeemed")}</th>
                </tr>
              </thead>
              <tbody>
                {loyalty.byLocation.map((l) => (
                  <tr key={l.locationId ?? "none"} className="odd:bg-slate-50">
                    <td className="px-2 py-1">{l.name ?? t("noLocation")}</td>
                    <td className="px-2 py-1 tabular-nums">{format.number(l.purchases)}</td>
                    <td className="px-2 py-1 tabular-nums">{money(l.revenue)}</td>
                    <td className="px-2 py-1 tabular-nums">{format.number(l.accrued)}</td>
                    <td className="px-2 py-1 tabular-nums">{format.number(l.redeemed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <div className="mt-4">
        {section(
          "certificates",
          data.certificates.definitions.length === 0,
          <>
            <BarsChart data={data.certificates.periods} bars={["issued", "opened", "redeemed"].map((k) => ({ key: k, name: t(`certificates.${k}`) }))} />
            <div className="mt-3 overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="certificates-table">
                <thead>
                  <tr className="text-xs text-slate-600">
                    <th className="px-2 py-1">{t("certificates.definition")}</th>
                    {(["issued", "opened", "redeemed", "redeemedSum", "expiredSum", "outstanding"] as const).map((k) => (
                      <th key={k} className="px-2 py-1">
                        {t(`certificates.${k}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[
                    ...data.certificates.definitions,
                    { ...data.certificates.total, definitionId: "total", name: t("certificates.total"), archived: false },
                  ].map((d) => (
                    <tr key={d.definitionId} className={d.definitionId === "total" ? "border-t border-slate-200 font-medium" : "odd:bg-slate-50"}>
                      <td className="px-2 py-1">{d.name}</td>
                      <td className="px-2 py-1 tabular-nums">
                        {format.number(d.issued)} · {money(d.issuedSum)}
                      </td>
                      <td className="px-2 py-1 tabular-nums">{format.number(d.opened)}</td>
                      <td className="px-2 py-1 tabular-nums">{format.number(d.redeemed)}</td>
                      <td className="px-2 py-1 tabular-nums">{money(d.redeemedSum)}</td>
                      <td className="px-2 py-1 tabular-nums">{money(d.expiredSum)}</td>
                      <td className="px-2 py-1 tabular-nums">{money(d.outstanding)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>,
          t("certificatesNote"),
        )}
      </div>
      <section className="mt-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="report-levels" aria-labelledby="levels-title">
        <div className="mb-2 flex flex-wrap items-start justify-between gap-2">
          <div>
            <h2 id="levels-title" className="text-base font-semibold text-slate-900">
              {t("levels.title")}
            </h2>
            <p className="mt-0.5 text-xs text-slate-500">{t("currentState")}</p>
          </div>
          {loyalty.levels.length > 0 && (
            <a
              href={`${csv("loyalty")}&part=levels`}
              className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline"
              data-testid="csv-levels"
              download
            >
              {t("csv")}
            </a>
          )}
        </div>
        {loyalty.levels.length === 0 ? (
          <p className="rounded-lg bg-slate-50 px-4 py-6 text-center text-sm text-slate-600" data-testid="empty-levels">
            {t("levels.empty")}
          </p>
        ) : (
          loyalty.levels.map((tpl) => {
            const total = tpl.levels.reduce((a, l) => a + l.cards, 0);
            return (
              <div key={tpl.templateId} className="mt-3 overflow-x-auto">
                {loyalty.levels.length > 1 && <h3 className="mb-1 text-sm font-medium text-slate-700">{tpl.templateName}</h3>}
                <table className="w-full text-left text-sm">
                  <thead>
                    <tr className="text-xs text-slate-600">
                      <th className="px-2 py-1">{t("levels.level")}</th>
                      <th className="px-2 py-1">{t("levels.discount")}</th>
                      <th className="px-2 py-1">{t("levels.cards")}</th>
                      <th className="w-1/2 px-2 py-1">
                        <span className="sr-only">{t("levels.share")}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {tpl.levels.map((l) => {
                      const share = total ? l.cards / total : 0;
                      return (
                        <tr key={l.index} className="odd:bg-slate-50" data-testid={`level-${l.index}`}>
                          <td className="px-2 py-1">{l.name}</td>
                          <td className="px-2 py-1 tabular-nums">{format.number(l.discountPercent / 100, { style: "percent", maximumFractionDigits: 1 })}</td>
                          <td className="px-2 py-1 tabular-nums">{format.number(l.cards)}</td>
                          <td className="px-2 py-1">
                            <div className="flex items-center gap-2">
                              <div className="h-2 flex-1 rounded bg-slate-100" aria-hidden>
                                <div className="h-2 rounded bg-brand-600" style={{ width: `${Math.round(share * 100)}%` }} />
                              </div>
                              <span className="w-10 text-right text-xs text-slate-600 tabular-nums">{format.number(share, { style: "percent" })}</span>
                            </div>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            );
          })
        )}
      </section>
    </>
  );
}
