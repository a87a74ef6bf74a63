import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, customers, type CardStatus } from "@/db/schema";

/** Exact filters of the API's card search; the phone is already E.164, the number as stored. */
export type ApiCardFilters = { phone?: string; number?: string; templateId?: string; status?: CardStatus; customerId?: string };

/**
 * Where a page ends: the last card's `updated_at` in whole microseconds (as PostgreSQL keeps it; a JS
 * Date would round to milliseconds and skip or repeat cards) and its id, the tie-breaker.
 */
export type CardKeyset = { micros: string; id: string };

const microsOf = sql<string>`(extract(epoch from ${cards.updatedAt}) * 1000000)::bigint::text`;

/**
 * One page of the merchant's cards, most recently changed first, after `after`: keyset pagination
 * on (updated_at, id), so pages stay stable while cards are added and each page costs the same.
 */
export async function listCardsByKeyset(db: Db, merchantId: string, filters: ApiCardFilters, page: { after?: CardKeyset; limit: number }) {
  const { after } = page;
  const rows = await db
    .select({ card: cards, customer: customers, micros: microsOf })
    .from(cards)
    .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
    .where(
      and(
        eq(cards.merchantId, merchantId),
        filters.phone ? eq(customers.phone, filters.phone) : undefined,
        filters.number ? eq(cards.number, filters.number) : undefined,
        filters.templateId ? eq(cards.templateId, filters.templateId) : undefined,
        filters.status ? eq(cards.status, filters.status) : undefined,
        filters.customerId ? eq(cards.customerId, filters.customerId) : undefined,
        after
          ? sql`(${cards.updatedAt}, ${cards.id}) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(cards.updatedAt), desc(cards.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  return { rows: shown.map(({ card, customer }) => ({ card, customer })), next: more && last ? { micros: last.micros, id: last.card.id } : null };
}
