import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { dayIn } from "@/lib/reports/dimensions";
import { activeMembers, activeMembersDaily } from "@/lib/reports/queries";
import { lastDays, type Trend } from "./trend-math";

export type { Trend } from "./trend-math";

/**
 * The dashboard's five tiles, each a 30-day figure with its daily sparkline and the 30 days before it
 * for the change: cards issued, cards that reached a wallet, active members, points redeemed (all
 * from the reports' rollups, so as fresh as the reports) and SMS spend (the outbox's recorded costs).
 * Days are the merchant's calendar days. Every query names the merchant.
 */
export async function getDashboardTrends(db: Db, merchantId: string, now = new Date()) {
  const [m] = rowsOf<{ time_zone: string }>(await db.execute(sql`select time_zone from merchants where id = ${merchantId}::uuid`));
  const timeZone = m?.time_zone ?? "UTC";
  const days = lastDays(dayIn(timeZone, now), 60);
  const [first, current, last] = [days[0], days[30], days[59]];
  const previousEnd = days[29];
  const [rollups, sms, installed, members, membersBefore, membersDaily] = await Promise.all([
    db.execute(sql`
      select day::text as day, metric, sum(count)::float8 as count, sum(sum)::float8 as sum from report_daily
      where merchant_id = ${merchantId}::uuid and metric in ('cards.issued', 'cards.activated', 'points.redeemed')
        and day between ${first}::date and ${last}::date
      group by 1, 2`),
    db.execute(sql`
      select to_char((o.created_at at time zone m.time_zone)::date, 'YYYY-MM-DD') as day, coalesce(o.currency, '') as currency,
        sum(o.cost_minor)::float8 as sum
      from outbox_messages o join merchants m on m.id = o.merchant_id
      where o.merchant_id = ${merchantId}::uuid and o.channel = 'sms' and o.cost_minor is not null
        and o.created_at >= (${first}::date)::timestamp at time zone m.time_zone
      group by 1, 2`),
    db.execute(sql`select coalesce(sum(count), 0)::float8 as n from report_current
      where merchant_id = ${merchantId}::uuid and kind = 'status' and key = 'installed'`),
    activeMembers(db, merchantId, { from: current, to: last }),
    activeMembers(db, merchantId, { from: first, to: previousEnd }),
    activeMembersDaily(db, merchantId, { from: current, to: last }),
  ]);
  const perDay = (pick: (row: { day: string; metric: string; count: number; sum: number }) => number | null) => {
    const byDay = new Map<string, number>();
    for (const r of rowsOf<{ day: string; metric: string; count: number; sum: number }>(rollups)) {
      const v = pick({ ...r, count: Number(r.count), sum: Number(r.sum) });
      if (v !== null) byDay.set(r.day, (byDay.get(r.day) ?? 0) + v);
    }
    return byDay;
  };
  const smsRows = rowsOf<{ day: string; currency: string; sum: number }>(sms);
  // Spend is shown in the currency most of it was paid in (a merchant that switched providers may have two).
  const byCurrency = new Map<string, number>();
  for (const r of smsRows) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + Number(r.sum));
  const currency = [...byCurrency].sort((a, b) => b[1] - a[1])[0]?.[0] || null;
  const smsByDay = new Map<string, number>();
  for (const r of smsRows) if ((r.currency || null) === currency) smsByDay.set(r.day, (smsByDay.get(r.day) ?? 0) + Number(r.sum));

  const trend = (key: Trend["key"], byDay: Map<string, number>, extra: Partial<Trend> = {}): Trend => {
    const series = days.slice(30).map((d) => byDay.get(d) ?? 0);
    const before = days.slice(0, 30).reduce((s, d) => s + (byDay.get(d) ?? 0), 0);
    return { key, value: series.reduce((a, b) => a + b, 0), previous: before, series, ...extra };
  };
  return {
    from: current,
    to: last,
    installedNow: Number(rowsOf<{ n: number }>(installed)[0]?.n ?? 0),
    trends: [
      trend(
        "issued",
        perDay((r) => (r.metric === "cards.issued" ? r.count : null)),
      ),
      trend(
        "activated",
        perDay((r) => (r.metric === "cards.activated" ? r.count : null)),
      ),
      { key: "members", value: members, previous: membersBefore, series: days.slice(30).map((d) => membersDaily.get(d) ?? 0) },
      trend(
        "redeemed",
        perDay((r) => (r.metric === "points.redeemed" ? r.sum : null)),
      ),
      trend("smsSpend", smsByDay, { currency }),
    ] satisfies Trend[],
  };
}
