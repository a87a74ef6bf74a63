import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { page as pageParam } from "@/lib/validations/common";
import { WALLET_LOG_PAGE_SIZE, listWalletLogs } from "@/lib/wallet/logs";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("cards.walletLog"))("title") };
}

/** Apple Wallet posts what went wrong with a pass (a refused update, a bad signature) to the log endpoint. */
export default async function WalletLogPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const ctx = await requireStaff("cards.manage");
  const t = await getTranslations("cards.walletLog");
  const format = await getFormatter();
  const page = pageParam().parse((await searchParams).page);
  const { rows, total } = await listWalletLogs(getDb(), ctx.merchantId, { page, pageSize: WALLET_LOG_PAGE_SIZE });
  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} />
      <Card>
        {rows.length ? (
          <ol className="divide-y divide-slate-100" data-testid="wallet-log">
            {rows.map((r) => (
              <li key={r.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:gap-4">
                <time className="shrink-0 text-xs text-slate-500 sm:w-44" dateTime={r.createdAt.toISOString()}>
                  {format.dateTime(r.createdAt, { dateStyle: "medium", timeStyle: "medium" })}
                </time>
                <p className="font-mono text-xs break-all text-slate-800">{r.message}</p>
              </li>
            ))}
          </ol>
        ) : (
          <EmptyState icon="wallet" title={t("emptyTitle")} text={t("emptyText")} />
        )}
        <Pagination page={page} pageSize={WALLET_LOG_PAGE_SIZE} total={total} basePath="/cards/wallet-log" />
      </Card>
    </>
  );
}
