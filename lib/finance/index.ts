import "server-only";
import { and, count, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { merchants, outboxMessages } from "@/db/schema";
import type { ReportTable } from "@/lib/reports/tables";
import type { FinanceFilters } from "@/lib/validations/finance";

/**
 * The merchant's money operations through the platform. Today these are the messages sent through
 * its SMS and e-mail providers, each with the cost the provider reported (the outbox keeps it);
 * the provider's message id is the payment document's number. Platform messages (no merchant) are
 * never billed to anyone and never listed.
 */
export const FINANCE_PAGE_SIZE = 30;
export const FINANCE_EXPORT_LIMIT = 10_000;

async function timeZoneOf(db: Db, merchantId: string) {
  const [m] = await db.select({ tz: merchants.timeZone }).from(merchants).where(eq(merchants.id, merchantId));
  return m?.tz ?? "UTC";
}

function financeWhere(merchantId: string, f: FinanceFilters, tz: string): SQL {
  const parts: SQL[] = [eq(outboxMessages.merchantId, merchantId)];
  if (f.type) parts.push(eq(outboxMessages.channel, f.type));
  if (f.status) parts.push(eq(outboxMessages.status, f.status));
  if (f.from) parts.push(sql`${outboxMessages.createdAt} >= (${`${f.from}-01`}::date)::timestamp at time zone ${tz}`);
  if (f.to) parts.push(sql`${outboxMessages.createdAt} < ((${`${f.to}-01`}::date) + interval '1 month')::timestamp at time zone ${tz}`);
  return and(...parts)!;
}

const columns = {
  id: outboxMessages.id,
  createdAt: outboxMessages.createdAt,
  type: outboxMessages.channel,
  status: outboxMessages.status,
  document: outboxMessages.providerMessageId,
  provider: outboxMessages.provider,
  amountMinor: outboxMessages.costMinor,
  currency: outboxMessages.currency,
};

export async function listFinance(db: Db, merchantId: string, opts: { page: number; pageSize: number; filters: FinanceFilters }) {
  const tz = await timeZoneOf(db, merchantId);
  const where = financeWhere(merchantId, opts.filters, tz);
  const month = sql<string>`to_char(${outboxMessages.createdAt} at time zone ${tz}, 'YYYY-MM')`;
  const [rows, [{ total }], months] = await Promise.all([
    db
      .select(columns)
      .from(outboxMessages)
      .where(where)
      .orderBy(desc(outboxMessages.createdAt))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ total: count() }).from(outboxMessages).where(where),
    // Totals per month and currency (a merchant may have switched providers); messages without a reported cost count but add nothing.
    db
      .select({
        month,
        currency: outboxMessages.currency,
        operations: count(),
        amountMinor: sql<number>`coalesce(sum(${outboxMessages.costMinor}), 0)::int`,
      })
      .from(outboxMessages)
      .where(where)
      // By position: the month expression carries the time zone as a parameter, so repeating it would not match.
      .groupBy(sql`1`, sql`2`)
      .orderBy(sql`1 desc`, sql`2`)
      .limit(60),
  ]);
  return { rows, total, months };
}

export async function financeTable(db: Db, merchantId: string, filters: FinanceFilters): Promise<ReportTable> {
  const { rows } = await listFinance(db, merchantId, { page: 1, pageSize: FINANCE_EXPORT_LIMIT, filters });
  return {
    columns: ["date", "type", "document", "status", "amountMinor", "currency", "provider"],
    rows: rows.map((r) => [r.createdAt.toISOString(), r.type, r.document, r.status, r.amountMinor, r.currency, r.provider]),
  };
}
