import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { AuditList } from "@/components/audit/audit-list";
import { SetupChecklist } from "@/components/dashboard/setup-checklist";
import { TrendTile } from "@/components/dashboard/trend-tile";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { listAudit } from "@/lib/audit";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { getAppleCertificateStatus } from "@/lib/certificates";
import { getDashboardCounts } from "@/lib/dashboard";
import { getSetupChecklist } from "@/lib/dashboard/setup";
import { getDashboardTrends } from "@/lib/dashboard/trends";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("dashboard") };
}

export default async function DashboardPage() {
  const ctx = await requireStaff("dashboard.view");
  const t = await getTranslations("dashboard");
  const format = await getFormatter();
  const db = getDb();
  const showActivity = can(ctx.role, "audit.view");
  // The steps to a first card are set up by whoever manages the organisation (certificates, SMS service).
  const showSetup = can(ctx.role, "organisation.manage");
  const showReports = can(ctx.role, "reports.view");
  const [counts, recent, certificate, setup, trends] = await Promise.all([
    getDashboardCounts(db, ctx.merchantId),
    showActivity ? listAudit(db, ctx.merchantId, { page: 1, pageSize: 6 }) : null,
    getAppleCertificateStatus(db, ctx.merchantId),
    showSetup ? getSetupChecklist(db, ctx.merchantId) : null,
    showReports ? getDashboardTrends(db, ctx.merchantId) : null,
  ]);
  const tiles = [
    { key: "cards", value: counts.cardCount, href: "/cards", note: t("cardsInstalled", { count: counts.installedCount }) },
    { key: "locations", value: counts.locationCount, href: "/locations" },
    {
      key: "staff",
      value: counts.activeStaff,
      href: can(ctx.role, "staff.view") ? "/settings/staff" : undefined,
      note: t("staffTotal", { total: counts.staffCount }),
    },
    { key: "messages", value: counts.messages30d },
    { key: "apiKeys", value: counts.apiKeyCount },
  ];
  return (
    <>
      <PageHeader title={t("title", { name: ctx.user.name.split(" ")[0] })} description={t("subtitle")} />
      {setup && !setup.allDone && <SetupChecklist checklist={setup} />}
      {trends && (
        <section aria-labelledby="trends-title" className="mb-6" data-testid="dashboard-trends">
          <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="trends-title" className="text-sm font-semibold text-slate-700">
              {t("trends.title")}
            </h2>
            <Link href="/reports" className="text-sm font-medium text-brand-600 hover:text-brand-700">
              {t("trends.allReports")}
            </Link>
          </div>
          <div className="grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 sm:gap-4 lg:grid-cols-5">
            {trends.trends.map((trend) => (
              <TrendTile
                key={trend.key}
                trend={trend}
                href={trend.key === "smsSpend" ? (can(ctx.role, "messages.view") ? "/messages" : undefined) : "/reports"}
                note={trend.key === "activated" ? t("trends.installedNow", { count: trends.installedNow }) : undefined}
              />
            ))}
          </div>
        </section>
      )}
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4 lg:grid-cols-5">
        {tiles.map((tile) => {
          const body = (
            <>
              <p className="text-sm font-medium text-slate-600">{t(`tiles.${tile.key}`)}</p>
              <p className="mt-2 text-3xl font-semibold tracking-tight text-slate-900" data-testid={`count-${tile.key}`}>
                {tile.value}
              </p>
              {tile.note && <p className="mt-1 text-xs text-slate-500">{tile.note}</p>}
            </>
          );
          return (
            <Card key={tile.key} className="p-4 sm:p-5">
              {tile.href ? (
                <Link href={tile.href} className="block rounded-lg focus-visible:outline-2">
                  {body}
                </Link>
              ) : (
                body
              )}
            </Card>
          );
        })}
      </div>
      {certificate?.expiringSoon && certificate.expiresAt && (
        <Card className="mt-6 flex flex-col gap-2 border-amber-300 bg-amber-50 p-5 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-amber-900" data-testid="certificate-expiring">
            {t("certificateExpiring", { date: format.dateTime(certificate.expiresAt, { dateStyle: "long" }) })}
          </p>
          {can(ctx.role, "organisation.manage") && (
            <Link href="/settings/certificates" className="text-sm font-medium text-amber-900 underline">
              {t("certificateAction")}
            </Link>
          )}
        </Card>
      )}
      {recent && (
        <Card className="mt-6">
          <div className="flex items-center justify-between border-b border-slate-100 px-4 py-3">
            <h2 className="font-semibold">{t("recent")}</h2>
            <Link href="/activity" className="text-sm font-medium text-brand-600 hover:text-brand-700">
              {t("allActivity")}
            </Link>
          </div>
          {recent.rows.length ? <AuditList rows={recent.rows} /> : <p className="px-4 py-6 text-sm text-slate-500">{t("noActivity")}</p>}
        </Card>
      )}
    </>
  );
}
