import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";
import type { PushAudience } from "@/db/schema";

/**
 * The audience as a condition on `cards c` of one merchant: the chosen templates' cards that are
 * neither blocked nor expired, narrowed by each filter given. Every sub-query names the merchant too.
 */
export function audienceWhere(merchantId: string, a: PushAudience): SQL {
  const parts: SQL[] = [
    sql`c.merchant_id = ${merchantId}::uuid`,
    sql`c.template_id = any(${pgArray(a.templateIds)}::uuid[])`,
    sql`c.status not in ('blocked', 'expired')`,
  ];
  if (a.status?.length) {
    const held = (platform: string) =>
      sql`exists (select 1 from wallet_registrations r join wallet_devices d on d.id = r.device_id
        where r.card_id = c.id and r.merchant_id = ${merchantId}::uuid and d.platform = ${platform})`;
    const alternatives: SQL[] = [];
    if (a.status.includes("installed"))
      alternatives.push(sql`exists (select 1 from wallet_registrations r where r.card_id = c.id and r.merchant_id = ${merchantId}::uuid)`);
    if (a.status.includes("apple")) alternatives.push(held("apple"));
    if (a.status.includes("google")) alternatives.push(held("google"));
    if (a.status.includes("not_installed"))
      alternatives.push(sql`not exists (select 1 from wallet_registrations r where r.card_id = c.id and r.merchant_id = ${merchantId}::uuid)`);
    parts.push(sql`(${sql.join(alternatives, sql` or `)})`);
  }
  if (a.balanceMin !== undefined) parts.push(sql`c.balance >= ${a.balanceMin}`);
  if (a.balanceMax !== undefined) parts.push(sql`c.balance <= ${a.balanceMax}`);
  if (a.daysSinceLastPurchase !== undefined)
    parts.push(sql`c.created_at <= now() - make_interval(days => ${a.daysSinceLastPurchase})
      and not exists (select 1 from ledger_transactions t where t.card_id = c.id and t.merchant_id = ${merchantId}::uuid
        and t.type in ('purchase', 'accrue') and t.created_at > now() - make_interval(days => ${a.daysSinceLastPurchase}))`);
  if (a.birthdayMonth !== undefined)
    parts.push(sql`exists (select 1 from customers u where u.id = c.customer_id and u.merchant_id = ${merchantId}::uuid
      and extract(month from u.birthday) = ${a.birthdayMonth})`);
  if (a.locationId)
    parts.push(
      sql`exists (select 1 from ledger_transactions t where t.card_id = c.id and t.merchant_id = ${merchantId}::uuid and t.location_id = ${a.locationId}::uuid)`,
    );
  if (a.level) {
    // A cumulative-discount level is the highest whose threshold the card's purchases, or its floor
    // (a starting level), reach — lib/ledger/levels levelOf in SQL: the template's levels are read
    // from its current version's definition.
    parts.push(sql`exists (
      select 1 from card_templates tp
      join card_template_versions v on v.template_id = tp.id and v.version = tp.current_version and v.merchant_id = ${merchantId}::uuid
      cross join lateral (
        select l->>'name' as name from jsonb_array_elements(coalesce(v.definition->'program'->'levels', '[]'::jsonb)) l
        where (l->>'minTotal')::bigint <= greatest(c.purchase_total, coalesce(c.level_floor, 0))
        order by (l->>'minTotal')::bigint desc limit 1
      ) lv
      where tp.id = c.template_id and tp.merchant_id = ${merchantId}::uuid and lv.name = ${a.level})`);
  }
  return sql.join(parts, sql` and `);
}

export type AudienceCount = { cards: number; apple: number; google: number; phones: number };

/** How many the audience holds, before saving: cards, those in Apple / Google wallets, and consenting phones (SMS news). */
export async function countAudience(db: Db, merchantId: string, a: PushAudience): Promise<AudienceCount> {
  const held = (platform: string) =>
    sql`exists (select 1 from wallet_registrations r join wallet_devices d on d.id = r.device_id where r.card_id = c.id and r.merchant_id = ${merchantId}::uuid and d.platform = ${platform})`;
  const [row] = rowsOf<{ cards: string | number; apple: string | number; google: string | number; phones: string | number }>(
    await db.execute(sql`
      select count(*) as cards,
        count(*) filter (where ${held("apple")}) as apple,
        count(*) filter (where ${held("google")}) as google,
        count(distinct u.phone) filter (where u.marketing_consent and u.phone is not null) as phones
      from cards c left join customers u on u.id = c.customer_id and u.merchant_id = ${merchantId}::uuid
      where ${audienceWhere(merchantId, a)}`),
  );
  return { cards: Number(row?.cards ?? 0), apple: Number(row?.apple ?? 0), google: Number(row?.google ?? 0), phones: Number(row?.phones ?? 0) };
}

/** How many cards the audience holds (a run's total): the count alone, without countAudience's wallets and phones. */
export async function countAudienceCards(db: Db, merchantId: string, a: PushAudience): Promise<number> {
  const [row] = rowsOf<{ cards: string | number }>(await db.execute(sql`select count(*) as cards from cards c where ${audienceWhere(merchantId, a)}`));
  return Number(row?.cards ?? 0);
}

/** The select of the next audience cards' ids after `afterId`, in id order (the run's checkpoint); also a CTE of the push run's batch. */
export const audienceIdsAfter = (merchantId: string, a: PushAudience, afterId: string | null, limit: number) => sql`
  select c.id from cards c where ${audienceWhere(merchantId, a)} ${afterId ? sql`and c.id > ${afterId}::uuid` : sql``}
  order by c.id limit ${limit}`;

/** The next audience cards after `afterId`, in id order (the run's checkpoint). */
export async function audienceCardIdsAfter(db: Db, merchantId: string, a: PushAudience, afterId: string | null, limit: number): Promise<string[]> {
  return rowsOf<{ id: string }>(await db.execute(audienceIdsAfter(merchantId, a, afterId, limit))).map((r) => r.id);
}
