import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AuditList } from "@/components/audit/audit-list";
import { Card, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { listAudit } from "@/lib/audit";
import { requireStaff } from "@/lib/auth/session";
import { page as pageParam } from "@/lib/validations/common";

const PAGE_SIZE = 30;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("activity") };
}

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const ctx = await requireStaff("audit.view");
  const t = await getTranslations("activity");
  const page = pageParam().parse((await searchParams).page);
  const { rows, total } = await listAudit(getDb(), ctx.merchantId, { page, pageSize: PAGE_SIZE });
  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} />
      <Card>
        {rows.length ? <AuditList rows={rows} /> : <p className="px-4 py-10 text-center text-sm text-slate-500">{t("empty")}</p>}
        <Pagination page={page} pageSize={PAGE_SIZE} total={total} basePath="/activity" />
      </Card>
    </>
  );
}
