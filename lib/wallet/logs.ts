import "server-only";
import { count, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { walletLogs } from "@/db/schema";

export const WALLET_LOG_PAGE_SIZE = 50;

/** What Apple Wallet reported about the merchant's passes, newest first. */
export async function listWalletLogs(db: Db, merchantId: string, opts: { page: number; pageSize: number }) {
  const where = eq(walletLogs.merchantId, merchantId);
  const [rows, [{ total }]] = await Promise.all([
    db.select().from(walletLogs).where(where).orderBy(desc(walletLogs.createdAt), desc(walletLogs.id)).limit(opts.pageSize).offset((opts.page - 1) * opts.pageSize),
    db.select({ total: count() }).from(walletLogs).where(where),
  ]);
  return { rows, total };
}
