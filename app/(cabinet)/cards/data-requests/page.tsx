import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { DATA_REQUESTS_PAGE_SIZE, listDataRequests } from "@/lib/customers/data-rights";
import { page as pageParam } from "@/lib/validations/common";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("dataRights"))("requestsTitle") };
}

/** Every export and erasure of a customer's data: those customers made themselves at /my, and those staff made from a card's page. */
export default async function DataRequestsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const ctx = await requireStaff("customers.dataRights");
  const t = await getTranslations("dataRights");
  const format = await getFormatter();
  const page = pageParam().parse((await searchParams).page);
  const { rows, total } = await listDataRequests(getDb(), ctx.merchantId, page);
  return (
    <>
      <PageHeader title={t("requestsTitle")} description={t("requestsSubtitle")} />
      <Card className="overflow-x-auto">
        {rows.length === 0 ? (
          <EmptyState title={t("requestsEmptyTitle")} text={t("requestsEmptyText")} />
        ) : (
          <table className="w-full text-left text-sm" data-testid="data-requests">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">{t("when")}</th>
                <th className="px-4 py-2 font-medium">{t("what")}</th>
                <th className="px-4 py-2 font-medium">{t("customer")}</th>
                <th className="px-4 py-2 font-medium">{t("askedBy")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => {
                const who = r.customerName || r.customerPhone || t("erasedCustomer");
                return (
                  <tr key={r.id} data-testid="data-request-row">
                    <td className="whitespace-nowrap px-4 py-2">
                      {format.dateTime(r.createdAt, { dateStyle: "medium", timeStyle: "short", timeZone: ctx.merchant.timeZone })}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2">
                      <Badge tone={r.kind === "erase" ? "red" : "blue"}>
                        {r.kind === "erase" ? t("kindErase") : t("kindExport", { format: (r.format ?? "json").toUpperCase() })}
                      </Badge>
                    </td>
                    <td className="px-4 py-2">
                      {r.cardId ? (
                        <Link href={`/cards/${r.cardId}`} className="text-brand-700 hover:underline">
                          {who}
                        </Link>
                      ) : (
                        who
                      )}
                    </td>
                    <td className="px-4 py-2">{r.requestedBy === "customer" ? t("byCustomer") : t("byStaff", { name: r.staffName ?? "—" })}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <Pagination page={page} pageSize={DATA_REQUESTS_PAGE_SIZE} total={total} basePath="/cards/data-requests" />
      </Card>
    </>
  );
}
