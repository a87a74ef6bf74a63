import "server-only";
import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { financeEntries, merchants, type FinanceEntry } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import type { ReportTable } from "@/lib/reports/tables";
import type { FinanceEntryInput, FinanceFilters } from "@/lib/validations/finance";

/**
 * The merchant's money operations through the platform, one list from three sources:
 * - the messages sent through its SMS and e-mail providers, each with the cost the provider reported
 *   (the outbox keeps it; the provider's message id is the document number). Platform messages (no
 *   merchant) are never billed to anyone and never listed;
 * - top-ups and charges the platform operator recorded (finance_entries, `npm run finance:entry`);
 * - gift certificates sold: every issued certificate code, at the amount its `certificate.issued`
 *   event recorded (the nominal, or the row's own amount); a product certificate counts with no amount.
 *   Derived from the data issuing already writes, so nothing is written at the issue site.
 */
export const FINANCE_PAGE_SIZE = 30;
export const FINANCE_EXPORT_LIMIT = 10_000;

export type FinanceRow = {
  id: string;
  createdAt: Date;
  type: "sms" | "email" | "topup" | "charge" | "certificate";
  status: string;
  document: string | null;
  /** The provider (messages), the certificate's name (sales) or the operator's note (entries). */
  note: string | null;
  amountMinor: number | null;
  currency: string | null;
};

async function timeZoneOf(db: Db, merchantId: string) {
  const [m] = await db.select({ tz: merchants.timeZone }).from(merchants).where(eq(merchants.id, merchantId));
  return m?.tz ?? "UTC";
}

/** Every operation of one merchant, in one shape; each branch filters by the merchant itself (and so uses its index). */
function operations(merchantId: string): SQL {
  return sql`
    select o.id, o.created_at, o.channel::text as type, o.status::text as status, o.provider_message_id as document,
           o.provider as note, o.cost_minor as amount_minor, o.currency
    from outbox_messages o where o.merchant_id = ${merchantId}::uuid
    union all
    select f.id, f.created_at, f.kind::text, 'completed', f.document, f.note, f.amount_minor, f.currency
    from finance_entries f where f.merchant_id = ${merchantId}::uuid
    union all
    select c.id, c.issued_at, 'certificate', 'sold', c.code, d.name,
           coalesce((e.data->>'amount')::int, d.nominal),
           case when d.nominal is null then null else coalesce(e.data->>'currency', m.currency) end
    from certificate_codes c
    join certificate_definitions d on d.id = c.definition_id
    join merchants m on m.id = c.merchant_id
    left join lateral (
      select ev.data from card_events ev where ev.card_id = c.card_id and ev.type = 'certificate.issued' limit 1
    ) e on true
    where c.merchant_id = ${merchantId}::uuid and c.issued_at is not null`;
}

function filtersOf(f: FinanceFilters, tz: string): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.type) parts.push(sql`type = ${f.type}`);
  if (f.status) parts.push(sql`status = ${f.status}`);
  if (f.from) parts.push(sql`created_at >= (${`${f.from}-01`}::date)::timestamp at time zone ${tz}`);
  if (f.to) parts.push(sql`created_at < ((${`${f.to}-01`}::date) + interval '1 month')::timestamp at time zone ${tz}`);
  return sql.join(parts, sql` and `);
}

type Raw = {
  id: string;
  created_at: Date | string;
  type: FinanceRow["type"];
  status: string;
  document: string | null;
  note: string | null;
  amount_minor: number | null;
  currency: string | null;
};

export async function listFinance(db: Db, merchantId: string, opts: { page: number; pageSize: number; filters: FinanceFilters }) {
  const tz = await timeZoneOf(db, merchantId);
  const from = sql`(${operations(merchantId)}) op where ${filtersOf(opts.filters, tz)}`;
  const [rows, totals, months] = await Promise.all([
    db.execute(sql`select * from ${from} order by created_at desc, id limit ${opts.pageSize} offset ${(opts.page - 1) * opts.pageSize}`),
    db.execute(sql`select count(*)::int as total from ${from}`),
    // Totals per month, operation and currency (a merchant may have switched providers); lines without an amount count but add nothing.
    db.execute(sql`
      select to_char(created_at at time zone ${tz}, 'YYYY-MM') as month, type, currency,
             count(*)::int as operations, coalesce(sum(amount_minor), 0)::int as amount_minor
      from ${from}
      group by 1, 2, 3 order by 1 desc, 2, 3 limit 120`),
  ]);
  return {
    rows: rowsOf<Raw>(rows).map((r): FinanceRow => ({
      id: r.id,
      createdAt: new Date(r.created_at),
      type: r.type,
      status: r.status,
      document: r.document,
      note: r.note,
      amountMinor: r.amount_minor === null ? null : Number(r.amount_minor),
      currency: r.currency,
    })),
    total: Number(rowsOf<{ total: number }>(totals)[0]?.total ?? 0),
    months: rowsOf<{ month: string; type: FinanceRow["type"]; currency: string | null; operations: number; amount_minor: number }>(months).map((m) => ({
      month: m.month,
      type: m.type,
      currency: m.currency,
      operations: Number(m.operations),
      amountMinor: Number(m.amount_minor),
    })),
  };
}

export async function financeTable(db: Db, merchantId: string, filters: FinanceFilters): Promise<ReportTable> {
  const { rows } = await listFinance(db, merchantId, { page: 1, pageSize: FINANCE_EXPORT_LIMIT, filters });
  return {
    columns: ["date", "type", "document", "status", "amountMinor", "currency", "note"],
    rows: rows.map((r) => [r.createdAt.toISOString(), r.type, r.document, r.status, r.amountMinor, r.currency, r.note]),
  };
}

/** Records a platform operator's top-up or charge for the merchant with this slug (operator-only: the CLI script, never the cabinet). */
export async function addFinanceEntry(db: Db, input: FinanceEntryInput): Promise<FinanceEntry> {
  const [m] = await db.select({ id: merchants.id, currency: merchants.currency }).from(merchants).where(eq(merchants.slug, input.merchant));
  if (!m) throw new NotFoundError();
  const [row] = await db
    .insert(financeEntries)
    .values({
      merchantId: m.id,
      kind: input.kind,
      amountMinor: input.amount,
      currency: input.currency ?? m.currency,
      note: input.note ?? null,
      document: input.document ?? null,
      createdBy: input.by,
    })
    .returning();
  return row;
}
