import { and, desc, eq, ilike, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { customers } from "@/db/schema";
import type { CardKeyset } from "./cards-api";

/** The API's customer search: the phone already E.164, the e-mail lower-cased, the name a fragment. */
export type ApiCustomerFilters = { phone?: string; email?: string; name?: string };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const microsOf = sql<string>`(extract(epoch from ${customers.createdAt}) * 1000000)::bigint::text`;

/** One page of the merchant's customers, newest first, keyset-paginated on (created_at, id) as the card list is on updated_at. */
export async function listCustomersByKeyset(db: Db, merchantId: string, filters: ApiCustomerFilters, page: { after?: CardKeyset; limit: number }) {
  const { after } = page;
  const rows = await db
    .select({ customer: customers, micros: microsOf })
    .from(customers)
    .where(
      and(
        eq(customers.merchantId, merchantId),
        filters.phone ? eq(customers.phone, filters.phone) : undefined,
        filters.email ? sql`lower(${customers.email}) = ${filters.email}` : undefined,
        filters.name ? ilike(customers.name, `%${escapeLike(filters.name)}%`) : undefined,
        after
          ? sql`(${customers.createdAt}, ${customers.id}) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  return { rows: shown.map((r) => r.customer), next: more && last ? { micros: last.micros, id: last.customer.id } : null };
}
