import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import type { ReportFilters } from "@/lib/validations/reports";
import { NO_ID } from "@/db/schema/reports";
import { CARD_SOURCES, CARD_STATUSES, LAG_BOUNDS } from "./dimensions";
import { hllEstimate } from "./hll";
import { sketchRanges } from "./sketch-ranges";
import { campaignPushesReport } from "./campaigns";
import { programOf, type Kind } from "@/lib/templates/definition";

/**
 * The reports, each read from the rollups only (never the raw events): a period's figure is a sum over
 * an index range of report_daily (merchant, metric, day), current-state figures are report_current's
 * counters, distinct members a merge of HyperLogLog registers. Every query puts the merchant in its
 * WHERE clause itself.
 */

type SeriesRow = { period: string; metric: string; platform: string; source: string; bucket: number; count: number; sum: number };

/** Adds up the given metrics per period (day / week / month start), optionally split by platform, source or bucket. */
async function series(
  db: Db,
  merchantId: string,
  f: ReportFilters,
  metrics: string[],
  opts: { by?: ("platform" | "source" | "bucket")[]; location?: boolean; periodOf?: "day" | "all" } = {},
): Promise<SeriesRow[]> {
  const by = opts.by ?? [];
  const period = opts.periodOf === "all" ? sql`''` : sql`to_char(date_trunc(${f.granularity}, day)::date, 'YYYY-MM-DD')`;
  const conds: SQL[] = [
    sql`merchant_id = ${merchantId}::uuid`,
    sql`metric in (${sql.join(
      metrics.map((m) => sql`${m}`),
      sql`, `,
    )})`,
    sql`day between ${f.from}::date and ${f.to}::date`,
  ];
  if (f.templateId) conds.push(sql`template_id = ${f.templateId}::uuid`);
  if (f.source) conds.push(sql`source = ${f.source}`);
  if (opts.location && f.locationId) conds.push(sql`location_id = ${f.locationId}::uuid`);
  const col = (c: string) => (by.includes(c as never) ? sql.raw(c) : c === "bucket" ? sql`0` : sql`''`);
  const rows = rowsOf<SeriesRow>(
    await db.execute(sql`
      select ${period} as period, metric, ${col("platform")} as platform, ${col("source")} as source, ${col("bucket")} as bucket,
        sum(count)::float8 as count, sum(sum)::float8 as sum
      from report_daily where ${sql.join(conds, sql` and `)}
      group by 1, 2, 3, 4, 5 order by 1`),
  );
  return rows.map((r) => ({ ...r, count: Number(r.count), sum: Number(r.sum), bucket: Number(r.bucket) }));
}

/** Every period start between from and to, so a chart has a point for each (zero where nothing happened). */
export function periodsOf(f: Pick<ReportFilters, "from" | "to" | "granularity">): string[] {
  const out: string[] = [];
  const start = new Date(`${f.from}T00:00:00Z`);
  if (f.granularity === "week") start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (f.granularity === "month") start.setUTCDate(1);
  const end = new Date(`${f.to}T00:00:00Z`);
  for (const d = start; d <= end;) {
    out.push(d.toISOString().slice(0, 10));
    if (f.granularity === "day") d.setUTCDate(d.getUTCDate() + 1);
    else if (f.granularity === "week") d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

function pivot<K extends string>(
  f: ReportFilters,
  rows: SeriesRow[],
  keys: readonly K[],
  keyOf: (r: SeriesRow) => K | null,
  value: (r: SeriesRow) => number = (r) => r.count,
) {
  const byPeriod = new Map(periodsOf(f).map((p) => [p, Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>]));
  for (const r of rows) {
    const k = keyOf(r);
    const row = byPeriod.get(r.period);
    if (k && row) row[k] += value(r);
  }
  return [...byPeriod].map(([period, v]) => ({ period, ...v }));
}

async function counters(db: Db, merchantId: string, kind: string, templateId?: string): Promise<Map<string, number>> {
  const rows = rowsOf<{ key: string; n: number }>(
    await db.execute(sql`select key, sum(count)::float8 as n from report_current
      where merchant_id = ${merchantId}::uuid and kind = ${kind} ${templateId ? sql`and template_id = ${templateId}::uuid` : sql``} group by key`),
  );
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

export async function cardStatusesReport(db: Db, merchantId: string, f: Pick<ReportFilters, "templateId">) {
  const c = await counters(db, merchantId, "status", f.templateId);
  return Object.fromEntries(CARD_STATUSES.map((s) => [s, c.get(s) ?? 0])) as Record<(typeof CARD_STATUSES)[number], number>;
}

export async function deviceTypesReport(db: Db, merchantId: string, f: Pick<ReportFilters, "templateId">) {
  const c = await counters(db, merchantId, "device", f.templateId);
  return { iphone: c.get("iphone") ?? 0, watch: c.get("watch") ?? 0, android: c.get("android") ?? 0, none: c.get("none") ?? 0 };
}

export async function cardHistoryReport(db: Db, merchantId: string, f: ReportFilters) {
  const rows = await series(db, merchantId, f, ["cards.issued", "devices.installed", "devices.removed"]);
  const names = { "cards.issued": "issued", "devices.installed": "installed", "devices.removed": "removed" } as const;
  return pivot(f, rows, ["issued", "installed", "removed"] as const, (r) => names[r.metric as keyof typeof names]);
}

export async function deviceHistoryReport(db: Db, merchantId: string, f: ReportFilters) {
  const rows = await series(db, merchantId, f, ["devices.installed"], { by: ["platform"] });
  return pivot(f, rows, ["iphone", "watch", "android"] as const, (r) => r.platform as "iphone" | "watch" | "android");
}

/** The median from the lag histogram: the bucket holding the middle install, interpolated linearly within it. */
export function medianFromBuckets(counts: Map<number, number>): number | null {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (!total) return null;
  let seen = 0;
  for (let b = 0; b <= LAG_BOUNDS.length; b++) {
    const n = counts.get(b) ?? 0;
    if (seen + n >= total / 2 && n > 0) {
      const lo = b === 0 ? 0 : LAG_BOUNDS[b - 1];
      const hi = LAG_BOUNDS[b] ?? lo * 2;
      return Math.round(lo + ((total / 2 - seen) / n) * (hi - lo));
    }
    seen += n;
  }
  return null;
}

/** Of the cards issued in each period: how many reached a wallet, and the median time to each wallet's first install. */
export async function conversionReport(db: Db, merchantId: string, f: ReportFilters) {
  const rows = await series(db, merchantId, f, ["cards.issued", "conv.reached", "conv.lag"], { by: ["bucket"] });
  const out = new Map(periodsOf(f).map((p) => [p, { period: p, issued: 0, reached: 0, lags: new Map<number, number>() }]));
  for (const r of rows) {
    const p = out.get(r.period);
    if (!p) continue;
    if (r.metric === "cards.issued") p.issued += r.count;
    else if (r.metric === "conv.reached") p.reached += r.count;
    else p.lags.set(r.bucket, (p.lags.get(r.bucket) ?? 0) + r.count);
  }
  const all = { issued: 0, reached: 0, lags: new Map<number, number>() };
  const periods = [...out.values()].map((p) => {
    all.issued += p.issued;
    all.reached += p.reached;
    for (const [b, n] of p.lags) all.lags.set(b, (all.lags.get(b) ?? 0) + n);
    return { period: p.period, issued: p.issued, reached: p.reached, share: p.issued ? p.reached / p.issued : 0, medianSeconds: medianFromBuckets(p.lags) };
  });
  return {
    total: { issued: all.issued, reached: all.reached, share: all.issued ? all.reached / all.issued : 0, medianSeconds: medianFromBuckets(all.lags) },
    periods,
  };
}

/** Cards activated (their first install) and devices activated (every install), per period and by the channel the card came from. */
export async function activationsReport(db: Db, merchantId: string, f: ReportFilters) {
  const rows = await series(db, merchantId, f, ["cards.activated", "devices.installed"], { by: ["source"] });
  const periods = pivot(f, rows, ["cards", "devices"] as const, (r) => (r.metric === "cards.activated" ? "cards" : "devices"));
  // The channels in their usual order, then each group's and company's link that brought cards.
  const linked = [...new Set(rows.map((r) => r.source))].filter((s) => !(CARD_SOURCES as readonly string[]).includes(s)).sort();
  const bySource = [...CARD_SOURCES, ...linked]
    .map((source) => ({
      source,
      cards: rows.filter((r) => r.source === source && r.metric === "cards.activated").reduce((a, r) => a + r.count, 0),
      devices: rows.filter((r) => r.source === source && r.metric === "devices.installed").reduce((a, r) => a + r.count, 0),
    }))
    .filter((r) => r.cards || r.devices);
  return { periods, bySource };
}

/**
 * Pushes: wallet update pushes (APNs) sent and failed per period, and each campaign's delivered pushes
 * per platform (accepted / failed / quota-limited) with their total (lib/reports/campaigns).
 */
export async function pushesReport(db: Db, merchantId: string, f: ReportFilters) {
  const [rows, campaigns] = await Promise.all([series(db, merchantId, f, ["pushes.sent", "pushes.failed"]), campaignPushesReport(db, merchantId, f)]);
  return { periods: pivot(f, rows, ["sent", "failed"] as const, (r) => (r.metric === "pushes.sent" ? "sent" : "failed")), ...campaigns };
}

/**
 * Points accrued / redeemed / expired, purchases and their sum per period; by point of sale; active
 * members (cards with a purchase in the period) for the whole merchant only: exact up to EXACT_MEMBERS_UP_TO
 * purchase events, above that the HyperLogLog sketch's estimate (~3%; see activeMembers).
 */
export async function loyaltyReport(db: Db, merchantId: string, f: ReportFilters) {
  const metrics = ["points.accrued", "points.redeemed", "points.expired", "purchases"];
  // One pass over the rollups, by period, metric and point of sale: the periods and the points of sale both come from it.
  const [rows, names, members, levels] = await Promise.all([
    rowsOf<{ period: string; metric: string; location_id: string; count: number; sum: number }>(
      await db.execute(sql`
        select to_char(date_trunc(${f.granularity}, day)::date, 'YYYY-MM-DD') as period, metric, location_id, sum(count)::float8 as count, sum(sum)::float8 as sum
        from report_daily
        where merchant_id = ${merchantId}::uuid and metric in (${sql.join(
          metrics.map((m) => sql`${m}`),
          sql`, `,
        )}) and day between ${f.from}::date and ${f.to}::date
          ${f.templateId ? sql`and template_id = ${f.templateId}::uuid` : sql``} ${f.source ? sql`and source = ${f.source}` : sql``}
          ${f.locationId ? sql`and location_id = ${f.locationId}::uuid` : sql``}
        group by 1, 2, 3`),
    ),
    rowsOf<{ id: string; name: string }>(await db.execute(sql`select id, name from locations where merchant_id = ${merchantId}::uuid`)),
    activeMembers(db, merchantId, f),
    levelDistribution(db, merchantId, f),
  ]);
  const series: SeriesRow[] = rows.map((r) => ({
    period: r.period,
    metric: r.metric,
    platform: "",
    source: "",
    bucket: 0,
    count: Number(r.count),
    sum: Number(r.sum),
  }));
  const key = { "points.accrued": "accrued", "points.redeemed": "redeemed", "points.expired": "expired", purchases: "purchases" } as const;
  const revenueOf = new Map<string, number>();
  for (const r of series) if (r.metric === "purchases") revenueOf.set(r.period, (revenueOf.get(r.period) ?? 0) + r.sum);
  const periods = pivot(
    f,
    series,
    ["accrued", "redeemed", "expired", "purchases"] as const,
    (r) => key[r.metric as keyof typeof key],
    (r) => (r.metric === "purchases" ? r.count : r.sum),
  ).map((p) => {
    const revenue = revenueOf.get(p.period) ?? 0;
    return { ...p, revenue, averageReceipt: p.purchases ? Math.round(revenue / p.purchases) : 0 };
  });
  const sum = (k: "accrued" | "redeemed" | "expired" | "purchases" | "revenue") => periods.reduce((a, p) => a + p[k], 0);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const locations = new Map<
    string,
    { locationId: string | null; name: string | null; purchases: number; revenue: number; accrued: number; redeemed: number }
  >();
  for (const r of rows) {
    if (r.metric === "points.expired") continue;
    const id = r.location_id === NO_ID ? null : r.location_id;
    const row = locations.get(r.location_id) ?? {
      locationId: id,
      name: id ? (nameOf.get(id) ?? null) : null,
      purchases: 0,
      revenue: 0,
      accrued: 0,
      redeemed: 0,
    };
    if (r.metric === "purchases") {
      row.purchases += Number(r.count);
      row.revenue += Number(r.sum);
    } else if (r.metric === "points.accrued") row.accrued += Number(r.sum);
    else row.redeemed += Number(r.sum);
    locations.set(r.location_id, row);
  }
  const purchases = sum("purchases");
  const revenue = sum("revenue");
  return {
    total: {
      accrued: sum("accrued"),
      redeemed: sum("redeemed"),
      expired: sum("expired"),
      purchases,
      revenue,
      averageReceipt: purchases ? Math.round(revenue / purchases) : 0,
      activeMembers: members,
    },
    periods,
    byLocation: [...locations.values()].sort((a, b) => b.revenue - a.revenue),
    levels,
  };
}

/**
 * How many cards are at each cumulative-discount level now (a current-state figure: the fold's
 * counters, never a count over cards), per template whose programme has levels, named as the
 * template's current programme names them. Period and point of sale do not apply.
 */
export async function levelDistribution(db: Db, merchantId: string, f: Pick<ReportFilters, "templateId">) {
  const rows = rowsOf<{ template_id: string; template_name: string; kind: string; program: unknown; key: string; n: number }>(
    await db.execute(sql`
      select t.id as template_id, t.name as template_name, t.kind::text as kind, v.definition->'program' as program, rc.key, rc.count::float8 as n
      from card_templates t
      join card_template_versions v on v.template_id = t.id and v.version = t.current_version and v.merchant_id = t.merchant_id
      left join report_current rc on rc.merchant_id = t.merchant_id and rc.kind = 'level' and rc.template_id = t.id
      where t.merchant_id = ${merchantId}::uuid and v.definition->'program'->>'type' = 'cumulative'
        ${f.templateId ? sql`and t.id = ${f.templateId}::uuid` : sql``}
      order by t.name, t.id`),
  );
  const out = new Map<
    string,
    { templateId: string; templateName: string; levels: { index: number; name: string; discountPercent: number; cards: number }[] }
  >();
  for (const r of rows) {
    let entry = out.get(r.template_id);
    if (!entry) {
      const program = programOf(r.kind as Kind, { program: (r.program ?? undefined) as never });
      const levels = program?.type === "cumulative" ? program.levels : [];
      entry = {
        templateId: r.template_id,
        templateName: r.template_name,
        levels: levels.map((l, index) => ({ index, name: l.name, discountPercent: l.discountPercent, cards: 0 })),
      };
      out.set(r.template_id, entry);
    }
    const level = r.key === null || r.key === undefined ? undefined : entry.levels[Number(r.key)];
    if (level) level.cards += Number(r.n);
  }
  return [...out.values()].filter((t) => t.levels.length);
}

/**
 * Up to this many purchase events in a period, active members are counted exactly from the events
 * (an index range of card_events by merchant, type and time, then the transactions' primary keys);
 * above it, from the HyperLogLog sketch, whose ~3% error no longer shows (below it, two members whose
 * ids share one of the 1,024 registers would read as one).
 */
export const EXACT_MEMBERS_UP_TO = 10_000;

/** Distinct cards with a purchase in the period, for the whole merchant: exact when few, the sketch's estimate when many. */
export async function activeMembers(db: Db, merchantId: string, f: Pick<ReportFilters, "from" | "to">, exactUpTo = EXACT_MEMBERS_UP_TO): Promise<number> {
  const [exact, registers] = await Promise.all([
    rowsOf<{ scanned: number; members: number }>(
      await db.execute(sql`
        with bounds as (
          select (${f.from}::date)::timestamp at time zone time_zone as lo, (${f.to}::date + 1)::timestamp at time zone time_zone as hi
          from merchants where id = ${merchantId}::uuid
        ), ev as materialized (
          select e.card_id, (e.data->>'transactionId')::uuid as tx_id
          from card_events e, bounds
          where e.merchant_id = ${merchantId}::uuid and e.type in ('points.accrued', 'points.redeemed')
            and e.created_at >= bounds.lo and e.created_at < bounds.hi and e.data ? 'transactionId'
          limit ${exactUpTo + 1}
        )
        select (select count(*) from ev)::int as scanned,
          (select count(distinct ev.card_id) from ev join ledger_transactions t
            on t.id = ev.tx_id and t.merchant_id = ${merchantId}::uuid and t.type = 'purchase')::int as members`),
    ),
    membersRegisters(db, merchantId, f),
  ]);
  const row = exact[0];
  return row && Number(row.scanned) <= exactUpTo ? Number(row.members) : hllEstimate(registers);
}

/** Active members per day of the period (the dashboard's sparkline): exact when few, else each day's sketch. */
export async function activeMembersDaily(db: Db, merchantId: string, f: Pick<ReportFilters, "from" | "to">, exactUpTo = EXACT_MEMBERS_UP_TO) {
  const exact = rowsOf<{ day: string | null; members: number; scanned: number }>(
    await db.execute(sql`
      with bounds as (
        select time_zone as tz, (${f.from}::date)::timestamp at time zone time_zone as lo, (${f.to}::date + 1)::timestamp at time zone time_zone as hi
        from merchants where id = ${merchantId}::uuid
      ), ev as materialized (
        select e.card_id, (e.data->>'transactionId')::uuid as tx_id, to_char((e.created_at at time zone bounds.tz)::date, 'YYYY-MM-DD') as day
        from card_events e, bounds
        where e.merchant_id = ${merchantId}::uuid and e.type in ('points.accrued', 'points.redeemed')
          and e.created_at >= bounds.lo and e.created_at < bounds.hi and e.data ? 'transactionId'
        limit ${exactUpTo + 1}
      )
      select null as day, 0 as members, (select count(*) from ev)::int as scanned
      union all
      select ev.day, count(distinct ev.card_id)::int, 0 from ev join ledger_transactions t
        on t.id = ev.tx_id and t.merchant_id = ${merchantId}::uuid and t.type = 'purchase'
      group by ev.day`),
  );
  const scanned = Number(exact.find((r) => r.day === null)?.scanned ?? 0);
  if (scanned <= exactUpTo) return new Map(exact.filter((r) => r.day !== null).map((r) => [r.day!, Number(r.members)]));
  const registers = rowsOf<{ day: string; idx: number; rho: number }>(
    await db.execute(sql`select day::text as day, idx, rho from report_members_hll
      where merchant_id = ${merchantId}::uuid and span = 1 and day between ${f.from}::date and ${f.to}::date`),
  );
  const byDay = new Map<string, { idx: number; rho: number }[]>();
  for (const r of registers) {
    const list = byDay.get(r.day) ?? [];
    list.push({ idx: Number(r.idx), rho: Number(r.rho) });
    byDay.set(r.day, list);
  }
  return new Map([...byDay].map(([day, regs]) => [day, hllEstimate(regs)]));
}

/** The members sketch of a period: whole months from the month sketches, the days at either edge from the day sketches. */
async function membersRegisters(db: Db, merchantId: string, f: Pick<ReportFilters, "from" | "to">) {
  const { months, days } = sketchRanges(f.from, f.to);
  const ranges = [
    ...(months ? [sql`(span = 2 and day between ${months[0]}::date and ${months[1]}::date)`] : []),
    ...days.map(([a, b]) => sql`(span = 1 and day between ${a}::date and ${b}::date)`),
  ];
  const rows = rowsOf<{ idx: number; rho: number }>(
    await db.execute(sql`select idx, max(rho) as rho from report_members_hll
      where merchant_id = ${merchantId}::uuid and (${sql.join(ranges, sql` or `)}) group by idx`),
  );
  return rows.map((r) => ({ idx: Number(r.idx), rho: Number(r.rho) }));
}

/**
 * Gift certificates per definition: issued (count and nominal), opened, redeemed (count and sum) and
 * expired (count and the unspent sum written off: breakage) in the period, from the rollups; the
 * outstanding balance at the period's end is every movement on the definition's template up to then
 * (the nominals issued, redemptions, reversals, corrections and write-offs), also from the rollups.
 * The template filter applies (a definition's certificates are cards of its template); point of sale
 * and source do not.
 */
export async function certificatesReport(db: Db, merchantId: string, f: ReportFilters) {
  const [defs, rows] = await Promise.all([
    rowsOf<{ id: string; name: string; template_id: string; archived: boolean }>(
      await db.execute(sql`select id, name, template_id, archived_at is not null as archived from certificate_definitions
        where merchant_id = ${merchantId}::uuid ${f.templateId ? sql`and template_id = ${f.templateId}::uuid` : sql``} order by created_at, id`),
    ),
    rowsOf<{ period: string | null; metric: string; template_id: string; count: number; sum: number }>(
      await db.execute(sql`
        select case when day >= ${f.from}::date then to_char(date_trunc(${f.granularity}, day)::date, 'YYYY-MM-DD') end as period,
          metric, template_id, sum(count)::float8 as count, sum(sum)::float8 as sum
        from report_daily
        where merchant_id = ${merchantId}::uuid and day <= ${f.to}::date
          and template_id in (select template_id from certificate_definitions where merchant_id = ${merchantId}::uuid)
          and (metric in ('points.adjusted', 'points.reversed') or (metric like 'cert.%'))
          ${f.templateId ? sql`and template_id = ${f.templateId}::uuid` : sql``}
        group by 1, 2, 3`),
    ),
  ]);
  const blank = () => ({ issued: 0, issuedSum: 0, opened: 0, redeemed: 0, redeemedSum: 0, expired: 0, expiredSum: 0, outstanding: 0 });
  const byTemplate = new Map(defs.map((d) => [d.template_id, { definitionId: d.id, name: d.name, archived: Boolean(d.archived), ...blank() }]));
  const periods = new Map(periodsOf(f).map((p) => [p, { issued: 0, opened: 0, redeemed: 0, redeemedSum: 0, expiredSum: 0 }]));
  for (const r of rows) {
    const d = byTemplate.get(r.template_id);
    if (!d) continue;
    const count = Number(r.count);
    const sum = Number(r.sum);
    // Outstanding: every movement up to the period's end.
    if (r.metric === "cert.issued" || r.metric === "points.adjusted" || r.metric === "points.reversed") d.outstanding += sum;
    else if (r.metric === "cert.redeemed" || r.metric === "cert.expired") d.outstanding -= sum;
    if (r.period === null) continue;
    const p = periods.get(r.period);
    if (r.metric === "cert.issued") {
      d.issued += count;
      d.issuedSum += sum;
      if (p) p.issued += count;
    } else if (r.metric === "cert.opened") {
      d.opened += count;
      if (p) p.opened += count;
    } else if (r.metric === "cert.redeemed") {
      d.redeemed += count;
      d.redeemedSum += sum;
      if (p) {
        p.redeemed += count;
        p.redeemedSum += sum;
      }
    } else if (r.metric === "cert.expired") {
      d.expired += count;
      d.expiredSum += sum;
      if (p) p.expiredSum += sum;
    }
  }
  const definitions = [...byTemplate.values()];
  const total = definitions.reduce((t, d) => {
    for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += d[k];
    return t;
  }, blank());
  return { total, definitions, periods: [...periods].map(([period, v]) => ({ period, ...v })) };
}

/** How fresh the figures are: when the fold last ran and whether events are waiting for it. */
export async function reportsFreshness(db: Db): Promise<{ foldedAt: Date | null; waiting: number }> {
  const [row] = rowsOf<{ folded_at: string | null; waiting: number }>(
    await db.execute(sql`select (select folded_at from report_fold_state where id = 1) as folded_at,
      (select count(*)::int from (select 1 from report_inbox limit 10000) w) as waiting`),
  );
  return { foldedAt: row?.folded_at ? new Date(row.folded_at) : null, waiting: Number(row?.waiting ?? 0) };
}

export type ReportData = {
  "card-statuses": Awaited<ReturnType<typeof cardStatusesReport>>;
  "device-types": Awaited<ReturnType<typeof deviceTypesReport>>;
  "card-history": Awaited<ReturnType<typeof cardHistoryReport>>;
  "device-history": Awaited<ReturnType<typeof deviceHistoryReport>>;
  conversion: Awaited<ReturnType<typeof conversionReport>>;
  activations: Awaited<ReturnType<typeof activationsReport>>;
  loyalty: Awaited<ReturnType<typeof loyaltyReport>>;
  pushes: Awaited<ReturnType<typeof pushesReport>>;
  certificates: Awaited<ReturnType<typeof certificatesReport>>;
};

export const REPORTS: { [K in keyof ReportData]: (db: Db, merchantId: string, f: ReportFilters) => Promise<ReportData[K]> } = {
  "card-statuses": cardStatusesReport,
  "device-types": deviceTypesReport,
  "card-history": cardHistoryReport,
  "device-history": deviceHistoryReport,
  conversion: conversionReport,
  activations: activationsReport,
  loyalty: loyaltyReport,
  pushes: pushesReport,
  certificates: certificatesReport,
};
