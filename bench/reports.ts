// Reports at scale: a fresh PostgreSQL database (beside the one DATABASE_URL names) with one merchant
// among several holding 1,000,000 cards and ~10,000,000 card events (plus a purchase ledger row for
// each purchase), seeded set-based with generate_series; then every report timed for a 90-day and a
// 1-year period (p50/p95 over --runs), each beside an anchor — the same figure counted naively from
// the raw tables in the same run — and a fold of --fold new events through the real fold job.
//
//   npm run bench:reports -- [--cards 1000000] [--others 2] [--runs 20] [--fold 20000] [--keep-db]
//
// The rollups of the seeded history are written by set-based SQL here (what the fold would have
// written for this seed: at most one install per card), since folding 10 M events one batch at a time
// would only measure the seed; the fold itself is timed on fresh events.
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { closeDb, getDb, type Db } from "@/db";
import { runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { stopBoss } from "@/lib/jobs/boss";
import { createLocation } from "@/lib/locations";
import { LAG_BOUNDS } from "@/lib/reports/dimensions";
import { foldAll } from "@/lib/reports/fold";
import { hllIdx, hllRho } from "@/lib/reports/hll";
import { REPORTS } from "@/lib/reports/queries";
import { createTemplate } from "@/lib/templates";
import { reportFiltersSchema, type ReportName } from "@/lib/validations/reports";
import { benchDatabase, benchMerchant } from "./lib/setup";

const { values: opts } = parseArgs({
  options: {
    cards: { type: "string", default: "1000000" },
    others: { type: "string", default: "2" },
    runs: { type: "string", default: "20" },
    fold: { type: "string", default: "20000" },
    "keep-db": { type: "boolean", default: false },
  },
});
const CARDS = Number(opts.cards);
const RUNS = Number(opts.runs);
const TZ = "Europe/Moscow";

const bench = await benchDatabase("bench_reports", {});
const { dbName } = bench;
const log = (line: string) => console.log(line);
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

async function step(name: string, work: () => Promise<unknown>) {
  const t0 = performance.now();
  await work();
  log(`  ${name}: ${secs(t0)} s`);
}

/**
 * Bulk loading as a restore would: the secondary indexes of the big tables are dropped while the rows
 * go in and built once after (a sorted build instead of 10 M random inserts), and foreign-key triggers
 * are off for the seed's own statements (its rows reference what it has just made).
 */
const BULK_INDEXES = [
  "card_events_card_created_idx",
  "card_events_merchant_created_idx",
  "card_events_merchant_type_created_idx",
  "ledger_transactions_card_created_idx",
];
async function dropBulkIndexes(db: Db): Promise<string[]> {
  const defs = rowsOf<{ indexdef: string; indexname: string }>(
    await db.execute(
      sql`select indexname, indexdef from pg_indexes where indexname in (${sql.join(
        BULK_INDEXES.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    ),
  );
  for (const d of defs) await db.execute(sql.raw(`drop index ${d.indexname}`));
  return defs.map((d) => d.indexdef);
}

type Target = { merchantId: string; templates: string[]; locations: string[] };

async function makeMerchant(db: Db, i: number, locations: number): Promise<Target> {
  const { merchant, actor } = await benchMerchant(db, `Bench ${i}`);
  const templates = [
    (await createTemplate(db, actor, { name: "Coffee", kind: "loyalty" })).id,
    (await createTemplate(db, actor, { name: "Tea", kind: "loyalty" })).id,
  ];
  const locs: string[] = [];
  for (let l = 0; l < locations; l++)
    locs.push((await createLocation(db, actor, { name: `Shop ${l + 1}`, address: "", latitude: 55.75, longitude: 37.61, nearbyText: "" })).id);
  return { merchantId: merchant.id, templates, locations: locs };
}

/** Cards, their events and purchase ledger rows for one merchant, set-based. */
async function seedMerchant(outer: Db, m: Target, cards: number, tag: string) {
  await outer.transaction(async (db) => {
    await db.execute(sql`set local session_replication_role = replica`);
    await seedMerchantRows(db, m, cards, tag);
  });
}

async function seedMerchantRows(db: Db, m: Target, cards: number, tag: string) {
  const M = sql`${m.merchantId}::uuid`;
  const purchases = Math.round(cards * 5.5);
  await step(`${tag} ${cards.toLocaleString("en")} cards`, async () => {
    await db.execute(sql`drop table if exists bench_cards`);
    await db.execute(sql`create unlogged table bench_cards as
      select i, gen_random_uuid() as id, case when i % 3 = 0 then ${m.templates[1]}::uuid else ${m.templates[0]}::uuid end as template_id,
        now() - make_interval(secs => (random() * 400 * 86400)::int) as created_at,
        (array['import', 'cabinet', 'api', 'enrolment', 'till'])[1 + i % 5] as source
      from generate_series(1, ${cards}) i`);
    await db.execute(sql`alter table bench_cards add primary key (i)`);
    await db.execute(sql`insert into cards (id, merchant_id, template_id, number, serial_number, authentication_token, link_token, status, block_reason, first_installed_at, created_at, updated_at)
      select id, ${M}, template_id, ${tag} || '-' || i, ${tag} || '-s-' || i, md5(i::text), ${tag} || '-l-' || i,
        (case when i % 50 = 7 then 'blocked' when i % 10 = 0 then 'removed' when i % 10 < 7 then 'installed' else 'issued' end)::card_status,
        (case when i % 50 = 7 then 'lost' end)::card_block_reason,
        case when i % 10 < 7 then created_at + make_interval(hours => i % 72) end, created_at, created_at
      from bench_cards`);
  });
  await step(`${tag} card events (issued, installed, removed, pushes, expired)`, async () => {
    await db.execute(sql`insert into card_events (merchant_id, card_id, type, data, actor_type, created_at)
      select ${M}, id, 'card.issued', jsonb_build_object('templateId', template_id, 'source', source), 'staff', created_at from bench_cards`);
    await db.execute(sql`insert into card_events (merchant_id, card_id, type, data, actor_type, created_at)
      select ${M}, id, 'card.installed', jsonb_build_object('platform', case when i % 3 = 0 then 'google' else 'apple' end,
        'model', case when i % 3 = 0 then 'Pixel' when i % 7 = 0 then 'Watch7,1' else 'iPhone16,2' end), 'device', created_at + make_interval(hours => i % 72)
      from bench_cards where i % 10 < 7`);
    await db.execute(sql`insert into card_events (merchant_id, card_id, type, data, actor_type, created_at)
      select ${M}, id, 'card.removed', jsonb_build_object('platform', case when i % 3 = 0 then 'google' else 'apple' end,
        'model', case when i % 3 = 0 then 'Pixel' when i % 7 = 0 then 'Watch7,1' else 'iPhone16,2' end), 'device', least(now(), created_at + interval '30 days')
      from bench_cards where i % 10 = 0`);
    await db.execute(sql`insert into card_events (merchant_id, card_id, type, data, actor_type, created_at)
      select ${M}, c.id, 'wallet.push_sent', '{"platform":"apple","devices":1}', 'system', c.created_at + (now() - c.created_at) * random()
      from generate_series(1, ${Math.round(cards * 0.4)}) j join bench_cards c on c.i = 1 + (j::bigint * 7919) % ${cards}`);
    await db.execute(sql`insert into card_events (merchant_id, card_id, type, data, actor_type, created_at)
      select ${M}, c.id, 'points.expired', jsonb_build_object('points', -(j % 40 + 1)), 'system', c.created_at + (now() - c.created_at) * random()
      from generate_series(1, ${Math.round(cards * 0.1)}) j join bench_cards c on c.i = 1 + (j::bigint * 104729) % ${cards}`);
  });
  await step(`${tag} ${purchases.toLocaleString("en")} purchases (ledger rows + accrued/redeemed events)`, async () => {
    await db.execute(sql`drop table if exists bench_tx`);
    await db.execute(sql`create unlogged table bench_tx as
      select gen_random_uuid() as id, c.id as card_id, c.created_at + (now() - c.created_at) * random() as created_at,
        (${sql.raw(`array[${m.locations.map((l) => `'${l}'::uuid`).join(",")}]`)})[1 + j % ${m.locations.length}] as location_id,
        (100 + j % 500) * 100 as amount, (100 + j % 500) / 10 as accrued, case when j % 5 < 2 then 50 else 0 end as redeemed
      from generate_series(1, ${purchases}) j join bench_cards c on c.i = 1 + (j::bigint * 7907) % ${cards}`);
    await db.execute(sql`insert into ledger_transactions (id, merchant_id, card_id, type, points, accrued, redeemed, amount, balance_after, location_id, actor_type, created_at)
      select id, ${M}, card_id, 'purchase', accrued - redeemed, accrued, redeemed, amount, 0, location_id, 'api', created_at from bench_tx`);
    await db.execute(sql`insert into card_events (merchant_id, card_id, type, data, actor_type, created_at)
      select ${M}, card_id, 'points.accrued', jsonb_build_object('transactionId', id, 'points', accrued), 'api', created_at from bench_tx`);
    await db.execute(sql`insert into card_events (merchant_id, card_id, type, data, actor_type, created_at)
      select ${M}, card_id, 'points.redeemed', jsonb_build_object('transactionId', id, 'points', redeemed), 'api', created_at from bench_tx where redeemed > 0`);
  });
  await step(`${tag} rollups`, () => seedRollups(db, m));
  await db.execute(sql`drop table bench_cards`);
  await db.execute(sql`drop table bench_tx`);
}

/** What the fold would have written for the seeded history (report_daily, report_current, report_cards, the members sketch). */
async function seedRollups(db: Db, m: Target) {
  const M = sql`${m.merchantId}::uuid`;
  const day = (col: string) => sql.raw(`((${col}) at time zone '${TZ}')::date`);
  const kind = sql.raw(`case when c.i % 3 = 0 then 'android' when c.i % 7 = 0 then 'watch' else 'iphone' end`);
  const wallet = sql.raw(`case when c.i % 3 = 0 then 'google' else 'apple' end`);
  const bucket = sql.raw(`(select count(*) from unnest(array[${LAG_BOUNDS.join(",")}]) b where b <= (c.i % 72) * 3600)`);
  const ins = (select: ReturnType<typeof sql>) =>
    db.execute(sql`insert into report_daily (merchant_id, metric, day, template_id, location_id, source, platform, bucket, count, sum) ${select}
      on conflict (merchant_id, metric, day, template_id, location_id, source, platform, bucket, campaign_id) do update set count = report_daily.count + excluded.count, sum = report_daily.sum + excluded.sum`);
  const NO = sql`'00000000-0000-0000-0000-000000000000'::uuid`;
  await ins(sql`select ${M}, 'cards.issued', ${day("created_at")}, template_id, ${NO}, source, '', 0, count(*), 0 from bench_cards c group by 3, 4, 6`);
  for (const metric of ["devices.installed", "cards.activated"])
    await ins(sql`select ${M}, ${metric}, ${day("c.created_at + make_interval(hours => c.i % 72)")}, template_id, ${NO}, source, ${kind}, 0, count(*), 0
      from bench_cards c where c.i % 10 < 7 group by 3, 4, 6, 7`);
  await ins(sql`select ${M}, 'devices.new', ${day("c.created_at + make_interval(hours => c.i % 72)")}, template_id, ${NO}, source, ${wallet}, 0, count(*), 0
    from bench_cards c where c.i % 10 < 7 group by 3, 4, 6, 7`);
  await ins(
    sql`select ${M}, 'conv.reached', ${day("c.created_at")}, template_id, ${NO}, source, '', 0, count(*), 0 from bench_cards c where c.i % 10 < 7 group by 3, 4, 6`,
  );
  await ins(
    sql`select ${M}, 'conv.installed', ${day("c.created_at")}, template_id, ${NO}, source, ${wallet}, 0, count(*), 0 from bench_cards c where c.i % 10 < 7 group by 3, 4, 6, 7`,
  );
  await ins(
    sql`select ${M}, 'conv.lag', ${day("c.created_at")}, template_id, ${NO}, source, ${wallet}, ${bucket}, count(*), 0 from bench_cards c where c.i % 10 < 7 group by 3, 4, 6, 7, 8`,
  );
  await ins(sql`select ${M}, 'devices.removed', ${day("least(now(), c.created_at + interval '30 days')")}, template_id, ${NO}, source, ${kind}, 0, count(*), 0
    from bench_cards c where c.i % 10 = 0 group by 3, 4, 6, 7`);
  await ins(sql`select ${M}, e.type, ${day("e.created_at")}, c.template_id, ${NO}, c.source, case when e.type = 'wallet.push_sent' then 'apple' else '' end, 0, count(*),
      case when e.type = 'points.expired' then sum(abs((e.data->>'points')::int)) else 0 end
    from card_events e join bench_cards c on c.id = e.card_id where e.merchant_id = ${M} and e.type in ('wallet.push_sent', 'points.expired') group by 2, 3, 4, 6, 7`);
  await db.execute(sql`update report_daily set metric = 'pushes.sent' where merchant_id = ${M} and metric = 'wallet.push_sent'`);
  for (const [metric, count, total] of [
    ["points.accrued", "count(*)", "sum(t.accrued)"],
    ["points.redeemed", "count(*) filter (where t.redeemed > 0)", "sum(t.redeemed)"],
    ["purchases", "count(*)", "sum(t.amount)"],
  ] as const)
    await ins(sql`select ${M}, ${metric}, ${day("t.created_at")}, c.template_id, t.location_id, c.source, '', 0, ${sql.raw(count)}, ${sql.raw(total)}
      from bench_tx t join bench_cards c on c.id = t.card_id group by 3, 4, 5, 6`);
  for (const [span, d] of [
    [1, day("created_at")],
    [2, sql.raw(`date_trunc('month', (created_at at time zone '${TZ}'))::date`)],
  ] as const)
    await db.execute(sql`insert into report_members_hll (merchant_id, span, day, idx, rho)
      select ${M}, ${span}, ${d}, ${hllIdx(sql`card_id`)}, max(${hllRho(sql`card_id`)}) from bench_tx group by 3, 4`);
  await db.execute(sql`insert into report_cards (card_id, merchant_id, template_id, source, issued_at, status, iphones, watches, androids, ever_apple, ever_google)
    select c.id, ${M}, c.template_id, c.source, c.created_at, k.status::text,
      (c.i % 10 between 1 and 6 and c.i % 3 <> 0 and c.i % 7 <> 0)::int, (c.i % 10 between 1 and 6 and c.i % 3 <> 0 and c.i % 7 = 0)::int, (c.i % 10 between 1 and 6 and c.i % 3 = 0)::int,
      c.i % 10 < 7 and c.i % 3 <> 0, c.i % 10 < 7 and c.i % 3 = 0
    from bench_cards c join cards k on k.id = c.id`);
  await db.execute(sql`insert into report_current (merchant_id, kind, template_id, key, count)
    select ${M}, 'status', template_id, status, count(*) from report_cards where merchant_id = ${M} group by 3, 4
    union all
    select ${M}, 'device', template_id, d.key, sum(d.n) from report_cards r,
      lateral (values ('iphone', r.iphones), ('watch', r.watches), ('android', r.androids), ('none', (r.iphones + r.watches + r.androids = 0)::int)) d(key, n)
      where merchant_id = ${M} group by 3, 4`);
}

/** The same figures counted from the raw tables at request time: what the rollups save. */
function anchors(m: Target, from: string, to: string): Partial<Record<ReportName, ReturnType<typeof sql>>> {
  const M = sql`${m.merchantId}::uuid`;
  const range = sql.raw(`between ('${from}'::date::timestamp at time zone '${TZ}') and (('${to}'::date + 1)::timestamp at time zone '${TZ}')`);
  return {
    "card-statuses": sql`select status, count(*) from cards where merchant_id = ${M} group by 1`,
    "card-history": sql`select (created_at at time zone ${TZ})::date, type, count(*) from card_events
      where merchant_id = ${M} and type in ('card.issued', 'card.installed', 'card.removed') and created_at ${range} group by 1, 2`,
    loyalty: sql`select (created_at at time zone ${TZ})::date, count(*), sum(amount), sum(accrued), sum(redeemed), (select count(distinct card_id) from ledger_transactions
      where merchant_id = ${M} and type = 'purchase' and created_at ${range}) from ledger_transactions where merchant_id = ${M} and type = 'purchase' and created_at ${range} group by 1`,
    activations: sql`select (created_at at time zone ${TZ})::date, count(*) from card_events where merchant_id = ${M} and type = 'card.installed' and created_at ${range} group by 1`,
  };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function time(work: () => Promise<unknown>, runs: number): Promise<{ p50: number; p95: number }> {
  await work();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    ms.push(performance.now() - t0);
  }
  return { p50: pct(ms, 0.5), p95: pct(ms, 0.95) };
}

try {
  const seedStart = performance.now();
  await runMigrations();
  const db = getDb();
  log(`reports bench: ${CARDS.toLocaleString("en")} cards for the measured merchant, ${opts.others} other merchants with a tenth as many, in ${dbName}`);
  const target = await makeMerchant(db, 0, 5);
  await db.execute(sql`update merchants set time_zone = ${TZ} where id = ${target.merchantId}::uuid`);
  const others: Target[] = [];
  for (let i = 1; i <= Number(opts.others); i++) others.push(await makeMerchant(db, i, 2));
  const indexes = await dropBulkIndexes(db);
  await seedMerchant(db, target, CARDS, "m0");
  for (const [i, other] of others.entries()) await seedMerchant(db, other, Math.max(1000, Math.round(CARDS / 10)), `m${i + 1}`);
  await step("build the events' and ledger's indexes", async () => {
    for (const def of indexes) await db.execute(sql.raw(def));
  });
  await step("vacuum analyze", () => db.execute(sql`vacuum analyze`));
  const [counts] = rowsOf<{ events: number; ledger: number; daily: number; size: string }>(
    await db.execute(sql`select (select count(*) from card_events where merchant_id = ${target.merchantId}::uuid)::int as events,
      (select count(*) from ledger_transactions where merchant_id = ${target.merchantId}::uuid)::int as ledger,
      (select count(*) from report_daily where merchant_id = ${target.merchantId}::uuid)::int as daily, pg_size_pretty(pg_database_size(current_database())) as size`),
  );
  log(`seeded in ${secs(seedStart)} s: ${counts.events.toLocaleString("en")} events and ${counts.ledger.toLocaleString("en")} ledger rows for the merchant,`);
  log(`  ${counts.daily.toLocaleString("en")} daily rollup rows for it; database size ${counts.size}`);

  const today = new Date().toISOString().slice(0, 10);
  const minus = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  log(`\nreport query times over ${RUNS} runs (ms; target p95 < 500), beside the naive count over the raw tables:`);
  log(`  ${"report".padEnd(16)} ${"period".padEnd(7)} ${"p50".padStart(8)} ${"p95".padStart(8)}   ${"naive p50".padStart(10)}`);
  let worst = 0;
  for (const [label, days, granularity] of [
    ["90 d", 90, "day"],
    ["1 y", 365, "week"],
  ] as const) {
    const f = reportFiltersSchema.parse({ from: minus(days - 1), to: today, granularity });
    const naive = anchors(target, f.from, f.to);
    for (const name of Object.keys(REPORTS) as ReportName[]) {
      const t = await time(() => REPORTS[name](db, target.merchantId, f), RUNS);
      worst = Math.max(worst, t.p95);
      const anchor = naive[name] ? (await time(() => db.execute(naive[name]!), Math.min(3, RUNS))).p50.toFixed(0) : "";
      log(`  ${name.padEnd(16)} ${label.padEnd(7)} ${t.p50.toFixed(1).padStart(8)} ${t.p95.toFixed(1).padStart(8)}   ${anchor.padStart(10)}`);
    }
  }
  log(`  worst p95: ${worst.toFixed(1)} ms ${worst < 500 ? "(within the 500 ms target)" : "(OVER the 500 ms target)"}`);

  // The fold on fresh events: purchases on existing cards and new installs, through the real fold job.
  const n = Number(opts.fold);
  await db.execute(sql`with t as (
      insert into ledger_transactions (merchant_id, card_id, type, points, accrued, redeemed, amount, balance_after, location_id, actor_type)
      select ${target.merchantId}::uuid, c.id, 'purchase', 10, 10, 0, 12345, 0, ${target.locations[0]}::uuid, 'api'
      from (select id from cards where merchant_id = ${target.merchantId}::uuid limit ${n}) c returning id, card_id),
    e as (insert into card_events (merchant_id, card_id, type, data, actor_type)
      select ${target.merchantId}::uuid, card_id, 'points.accrued', jsonb_build_object('transactionId', id, 'points', 10), 'api' from t returning id)
    insert into report_inbox (event_id) select id from e`);
  const t0 = performance.now();
  const folded = await foldAll(db, 600_000);
  const ms = performance.now() - t0;
  log(
    `\nfold: ${folded.folded.toLocaleString("en")} events in ${folded.batches} batches, ${ms.toFixed(0)} ms (${Math.round(folded.folded / (ms / 1000)).toLocaleString("en")} events/s)`,
  );
} finally {
  await stopBoss().catch(() => undefined);
  await closeDb();
  await bench.drop(!!opts["keep-db"]);
}
