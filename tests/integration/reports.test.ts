// Issue 16: the reports follow the events door into an inbox; a batch job folds the inbox into daily
// rollups exactly once (a fold killed mid-batch loses and double-counts nothing); each report's
// figures on a hand-built fixture, in the merchant's time zone; tenancy; rollups equal a rebuild.
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb, type Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { merchants } from "@/db/schema";
import { deleteCard, issueCard, moveCard, transitionCard } from "@/lib/cards";
import { staffActor } from "@/lib/cards/actor";
import { createLocation } from "@/lib/locations";
import { postTransaction, reverseTransaction } from "@/lib/ledger";
import { getBoss } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { foldAll, foldReports } from "@/lib/reports/fold";
import {
  activationsReport,
  cardHistoryReport,
  cardStatusesReport,
  conversionReport,
  deviceHistoryReport,
  deviceTypesReport,
  activeMembers,
  levelDistribution,
  loyaltyReport,
} from "@/lib/reports/queries";
import { rebuildReports } from "@/lib/reports/rebuild";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_CUMULATIVE_PROGRAM, DEFAULT_POINTS_PROGRAM, type LoyaltyProgram } from "@/lib/templates/definition";
import { registerDevice, unregisterDevice } from "@/lib/wallet/service";
import { reportFiltersSchema } from "@/lib/validations/reports";
import { createApiKey } from "@/lib/api-keys";
import { reportTable, toCsv } from "@/lib/reports/tables";
import { GET as getReport } from "@/app/api/v1/reports/[report]/route";
import { killWorkerProcesses, startWorkerProcess } from "../support/spawn-worker";
import { createTestMerchant, createTestTemplate, uniquePhone } from "../factories";

async function api(key: string, report: string, query: string) {
  const response = await getReport(new Request(`http://localhost/api/v1/reports/${report}?${query}`, { headers: { authorization: `Bearer ${key}` } }), {
    params: Promise.resolve({ report }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: Record<string, unknown>; error?: { code: string; details?: { path: string }[] } },
  };
}

afterEach(killWorkerProcesses);

type M = Awaited<ReturnType<typeof createTestMerchant>>;

async function programmeTemplate(m: M, program: LoyaltyProgram = DEFAULT_POINTS_PROGRAM) {
  const template = await createTestTemplate(m);
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  await saveTemplateVersion(getDb(), m.actor, template.id, { name: template.name, definition: { ...version.definition, program } });
  return template;
}

const LEVELS: LoyaltyProgram = {
  ...DEFAULT_CUMULATIVE_PROGRAM,
  levels: [
    { name: "Base", minTotal: 0, discountPercent: 3 },
    { name: "Silver", minTotal: 100_000, discountPercent: 5 },
    { name: "Gold", minTotal: 500_000, discountPercent: 10 },
  ],
};

const device = (
  card: { id: string; merchantId: string; authenticationToken: string; updateTag: number },
  id: string,
  platform: "apple" | "google",
  model: string,
) => registerDevice(getDb(), { ...card, passTypeId: "pass.test" }, { platform, deviceLibraryId: id, passTypeId: "pass.test", pushToken: null, model });

/** Moves the merchant's not-yet-folded events of a type to a given instant (the fixture's clock). */
async function at(merchantId: string, types: string[], iso: string, cardId?: string) {
  await getDb().execute(sql`update card_events set created_at = ${iso}::timestamptz
    where merchant_id = ${merchantId}::uuid and type in (${sql.join(
      types.map((t) => sql`${t}`),
      sql`, `,
    )}) ${cardId ? sql`and card_id = ${cardId}::uuid` : sql``}
      and created_at > '2026-06-01' and id in (select event_id from report_inbox)`);
}

const filters = (from: string, to: string, extra: Record<string, string> = {}) => reportFiltersSchema.parse({ from, to, ...extra });

/** Everything the rollups hold for a merchant, in a stable order: to compare an incremental fold with a rebuild. */
async function snapshot(db: Db, merchantId: string) {
  const q = async (s: ReturnType<typeof sql>) => rowsOf(await db.execute(s));
  return {
    daily: await q(sql`select metric, day::text, template_id, location_id, source, platform, bucket, count::int, sum::int from report_daily
      where merchant_id = ${merchantId}::uuid and count <> 0 order by 1, 2, 3, 4, 5, 6, 7`),
    current: await q(
      sql`select kind, template_id, key, count::int from report_current where merchant_id = ${merchantId}::uuid and count <> 0 order by 1, 2, 3`,
    ),
    hll: await q(sql`select span, day::text, idx, rho from report_members_hll where merchant_id = ${merchantId}::uuid order by 1, 2, 3`),
  };
}

async function fixture() {
  const db = getDb();
  const a = await createTestMerchant();
  const b = await createTestMerchant();
  // UTC+10: 14:30Z is already the next day there.
  await db.update(merchants).set({ timeZone: "Asia/Vladivostok" }).where(eq(merchants.id, a.merchant.id));
  const template = await programmeTemplate(a);
  const other = await createTestTemplate(a);
  const shop = await createLocation(db, a.actor, { name: "Main street", address: "", latitude: 55.75, longitude: 37.61, nearbyText: "" });
  const staff = staffActor(a.owner.id);
  const issue = (actor = staff, tpl = template.id) => issueCard(db, a.merchant.id, actor, { templateId: tpl, customer: { phone: uniquePhone(), name: "A" } });
  const c1 = await issue();
  const c2 = await issue();
  const c3 = await issue();
  const c4 = await issue({ type: "api", keyId: "key-1" }, other.id);
  await at(a.merchant.id, ["card.issued"], "2026-03-01T14:30:00Z");
  await device(c1, "d-iphone", "apple", "iPhone15,2");
  await at(a.merchant.id, ["card.installed"], "2026-03-05T13:56:00Z");
  await device(c1, "d-watch", "apple", "Watch6,1");
  await at(a.merchant.id, ["card.installed"], "2026-03-05T13:57:00Z");
  await device(c1, "d-android", "google", "Android");
  await at(a.merchant.id, ["card.installed"], "2026-03-05T13:58:00Z");
  await device(c2, "d-iphone-2", "apple", "iPhone14,5");
  await at(a.merchant.id, ["card.installed"], "2026-03-05T13:59:00Z");
  await unregisterDevice(db, { ...c2, passTypeId: "pass.test" }, { platform: "apple", deviceLibraryId: "d-iphone-2", passTypeId: "pass.test" });
  await at(a.merchant.id, ["card.removed"], "2026-03-05T14:00:00Z");
  await transitionCard(db, a.merchant.id, staff, c3.id, "block");
  const ctx = { merchantId: a.merchant.id, actor: { type: "api" as const, keyId: "till" } };
  const p1 = await postTransaction(db, ctx, { cardId: c1.id, type: "purchase", amount: 100_000, locationId: shop.id });
  const p2 = await postTransaction(db, ctx, { cardId: c1.id, type: "purchase", amount: 50_000, locationId: shop.id });
  const p3 = await postTransaction(db, ctx, { cardId: c2.id, type: "purchase", amount: 30_000 });
  await postTransaction(db, ctx, { cardId: c2.id, type: "accrue", points: 7 });
  await at(a.merchant.id, ["points.accrued", "points.redeemed"], "2026-03-06T02:00:00Z");
  // Merchant B: a card, an install and a purchase the same days; none of it may reach A's figures.
  const bt = await programmeTemplate(b);
  const bc = await issueCard(db, b.merchant.id, staffActor(b.owner.id), { templateId: bt.id, customer: { phone: uniquePhone(), name: "B" } });
  await device(bc, "b-iphone", "apple", "iPhone");
  await postTransaction(db, { merchantId: b.merchant.id, actor: { type: "api", keyId: "b" } }, { cardId: bc.id, type: "purchase", amount: 999_000 });
  await at(b.merchant.id, ["card.issued", "card.installed", "points.accrued"], "2026-03-05T10:00:00Z");
  const accrued = [p1, p2, p3].reduce((s, p) => s + p.transaction.accrued, 0) + 7;
  // The active members: c1 and c2 (counted exactly at this size, see activeMembers).
  const members = 2;
  return { a, b, template, other, shop, cards: { c1, c2, c3, c4 }, accrued, members };
}

async function expectFixtureFigures(f: Awaited<ReturnType<typeof fixture>>) {
  const db = getDb();
  const A = f.a.merchant.id;
  const week = filters("2026-03-01", "2026-03-07");
  expect(await cardStatusesReport(db, A, {})).toEqual({ issued: 1, installed: 1, removed: 1, blocked: 1, expired: 0 });
  expect(await cardStatusesReport(db, A, { templateId: f.other.id })).toEqual({ issued: 1, installed: 0, removed: 0, blocked: 0, expired: 0 });
  expect(await deviceTypesReport(db, A, {})).toEqual({ iphone: 1, watch: 1, android: 1, none: 3 });
  const history = await cardHistoryReport(db, A, week);
  // Issued at 14:30Z on 1 March is 2 March in Vladivostok; installs at 13:59Z on the 5th stay on the 5th, the removal at 14:00Z is the 6th.
  expect(history.find((d) => d.period === "2026-03-01")).toMatchObject({ issued: 0 });
  expect(history.find((d) => d.period === "2026-03-02")).toMatchObject({ issued: 4, installed: 0 });
  expect(history.find((d) => d.period === "2026-03-05")).toMatchObject({ installed: 4, removed: 0 });
  expect(history.find((d) => d.period === "2026-03-06")).toMatchObject({ removed: 1 });
  const devices = await deviceHistoryReport(db, A, week);
  expect(devices.find((d) => d.period === "2026-03-05")).toMatchObject({ iphone: 2, watch: 1, android: 1 });
  // First install only: c1's three devices count once towards "reached a wallet".
  const conversion = await conversionReport(db, A, week);
  expect(conversion.total).toMatchObject({ issued: 4, reached: 2, share: 0.5 });
  // Issue → install: 3 days 23.5 hours, in the 3–7 day bucket.
  expect(conversion.total.medianSeconds).toBeGreaterThan(3 * 86400);
  expect(conversion.total.medianSeconds).toBeLessThan(7 * 86400);
  const activations = await activationsReport(db, A, week);
  expect(activations.bySource).toEqual([{ source: "cabinet", cards: 2, devices: 4 }]);
  expect(activations.periods.find((d) => d.period === "2026-03-05")).toMatchObject({ cards: 2, devices: 4 });
  const loyalty = await loyaltyReport(db, A, week);
  expect(loyalty.total).toMatchObject({ purchases: 3, revenue: 180_000, averageReceipt: 60_000, accrued: f.accrued, activeMembers: f.members });
  expect(loyalty.byLocation.find((l) => l.locationId === f.shop.id)).toMatchObject({ name: "Main street", purchases: 2, revenue: 150_000 });
  const atShop = await loyaltyReport(db, A, filters("2026-03-01", "2026-03-07", { locationId: f.shop.id }));
  expect(atShop.total).toMatchObject({ purchases: 2, revenue: 150_000 });
  // Template and source filters.
  expect((await cardHistoryReport(db, A, filters("2026-03-01", "2026-03-07", { templateId: f.other.id }))).reduce((s, d) => s + d.issued, 0)).toBe(1);
  expect((await cardHistoryReport(db, A, filters("2026-03-01", "2026-03-07", { source: "api" }))).reduce((s, d) => s + d.issued, 0)).toBe(1);
  // Week and month periods add up the same days.
  expect(await cardHistoryReport(db, A, filters("2026-03-01", "2026-03-31", { granularity: "month" }))).toEqual([
    { period: "2026-03-01", issued: 4, installed: 4, removed: 1 },
  ]);
  // A whole month reads the month's sketch, a longer period the month and the edge days'.
  expect((await loyaltyReport(db, A, filters("2026-03-01", "2026-03-31"))).total).toMatchObject({ purchases: 3, activeMembers: f.members });
  expect((await loyaltyReport(db, A, filters("2026-02-20", "2026-04-03"))).total).toMatchObject({ purchases: 3, activeMembers: f.members });
  expect((await loyaltyReport(db, A, filters("2026-03-06", "2026-04-30"))).total).toMatchObject({ purchases: 3, activeMembers: f.members });
  // Outside the period: nothing.
  expect((await loyaltyReport(db, A, filters("2026-02-01", "2026-02-28"))).total).toMatchObject({ purchases: 0, activeMembers: 0 });
  // Above the exact threshold the sketch answers: the same two members unless their ids share a register.
  const sketch = new Set([f.cards.c1.id, f.cards.c2.id].map((id) => parseInt(id.slice(0, 3), 16) >> 2)).size;
  expect(await activeMembers(db, A, filters("2026-03-01", "2026-03-07"), 1)).toBe(sketch);
  expect(await activeMembers(db, A, filters("2026-03-01", "2026-03-07"), 4)).toBe(2);
}

describe("reports", () => {
  it("each report's figures on a hand-built fixture, in the merchant's time zone; merchant B's never count", async () => {
    const f = await fixture();
    await foldAll(getDb());
    await expectFixtureFigures(f);
    const B = f.b.merchant.id;
    expect(await cardStatusesReport(getDb(), B, {})).toEqual({ issued: 0, installed: 1, removed: 0, blocked: 0, expired: 0 });
    expect((await loyaltyReport(getDb(), B, filters("2026-03-01", "2026-03-07"))).total).toMatchObject({ purchases: 1, revenue: 999_000, activeMembers: 1 });
    // A's template id in B's query finds nothing of A's.
    expect(await cardStatusesReport(getDb(), B, { templateId: f.template.id })).toEqual({ issued: 0, installed: 0, removed: 0, blocked: 0, expired: 0 });
    // The API answers the same figures, only with reports:read, and only the key's merchant's.
    const key = (await createApiKey(getDb(), f.a.actor, { name: "BI", scopes: ["reports:read"] })).key;
    const bKey = (await createApiKey(getDb(), f.b.actor, { name: "BI", scopes: ["reports:read"] })).key;
    const cardsOnly = (await createApiKey(getDb(), f.a.actor, { name: "CRM", scopes: ["cards:read"] })).key;
    expect(await api(key, "card-statuses", "from=2026-03-01&to=2026-03-07")).toEqual({
      status: 200,
      body: { data: { issued: 1, installed: 1, removed: 1, blocked: 1, expired: 0 } },
    });
    expect((await api(bKey, "card-statuses", "from=2026-03-01&to=2026-03-07")).body.data).toMatchObject({ installed: 1, blocked: 0 });
    const loyaltyApi = await api(key, "loyalty", `from=2026-03-01&to=2026-03-07&locationId=${f.shop.id}`);
    expect(loyaltyApi.body.data!.total).toMatchObject({ purchases: 2, revenue: 150_000 });
    expect((await api(cardsOnly, "card-statuses", "from=2026-03-01&to=2026-03-07")).status).toBe(403);
    expect((await api(key, "certificates", "from=2026-03-01&to=2026-03-07")).body.data).toMatchObject({ definitions: [], total: { issued: 0 } });
    expect((await api(key, "no-such-report", "from=2026-03-01&to=2026-03-07")).status).toBe(404);
    for (const [query, path] of [
      ["from=2026-03-07&to=2026-03-01", "to"],
      ["from=yesterday&to=2026-03-01", "from"],
      ["from=2020-01-01&to=2026-03-01", "to"],
      ["from=2026-03-01&to=2026-03-07&templateId=nope", "templateId"],
      ["from=2026-03-01&to=2026-03-07&granularity=hour", "granularity"],
    ]) {
      const answer = await api(key, "card-history", query);
      expect(answer.status, query).toBe(422);
      expect(answer.body.error?.code).toBe("validation");
      expect(answer.body.error?.details?.map((d) => d.path)).toContain(path);
    }
    // CSV of a report: numbers stay numbers.
    expect(toCsv(reportTable("card-statuses", await cardStatusesReport(getDb(), f.a.merchant.id, {})))).toBe(
      "key,count\r\nissued,1\r\ninstalled,1\r\nremoved,1\r\nblocked,1\r\nexpired,0\r\n",
    );
    // The rebuild from the raw events gives the same rollups.
    const before = await snapshot(getDb(), f.a.merchant.id);
    await rebuildReports(getDb());
    expect(await snapshot(getDb(), f.a.merchant.id)).toEqual(before);
  });

  // A worker killed with SIGKILL needs a second process and a server that outlives it (PGlite is in-process).
  it.runIf(process.env.DATABASE_URL)("a fold whose worker is killed mid-batch loses nothing and counts nothing twice", async () => {
    const f = await fixture();
    const db = getDb();
    const inbox = async () => rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from report_inbox`))[0].n;
    const waiting = await inbox();
    expect(waiting).toBeGreaterThan(10);
    // The fold's last statement waits on this lock, after it has deleted the inbox rows and written the
    // rollups in its transaction; then the worker is killed.
    await db.transaction(async (tx) => {
      await tx.execute(sql`select * from report_fold_state where id = 1 for update`);
      const child = await startWorkerProcess([QUEUES.reportsFold]);
      await (await getBoss()).send(QUEUES.reportsFold, {});
      await vi.waitFor(
        async () => {
          const rows = await db.execute(
            sql`select 1 from pg_stat_activity where datname = current_database() and query like 'update report_fold_state%' and wait_event_type = 'Lock'`,
          );
          expect(rowsOf(rows)).toHaveLength(1);
        },
        { timeout: 30_000, interval: 25 },
      );
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
    });
    // The server rolls the dead worker's transaction back once it finds the client gone.
    await vi.waitFor(
      async () => {
        const rows = await db.execute(
          sql`select 1 from pg_stat_activity where datname = current_database() and query like 'update report_fold_state%' and state <> 'idle'`,
        );
        expect(rowsOf(rows)).toHaveLength(0);
      },
      { timeout: 10_000, interval: 25 },
    );
    expect(await inbox()).toBe(waiting);
    expect(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from report_daily where merchant_id = ${f.a.merchant.id}::uuid`))[0].n).toBe(0);
    // Small batches, then everything: the figures are exactly the fixture's.
    await foldReports(db, { batch: 7 });
    await foldAll(db, 60_000, 5);
    expect(await inbox()).toBe(0);
    await expectFixtureFigures(f);
  });

  it("counts cards per cumulative-discount level as purchases move them, per template, only the merchant's own", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const levels = await programmeTemplate(a, LEVELS);
    const points = await programmeTemplate(a);
    const staff = staffActor(a.owner.id);
    const issue = (m: M, templateId: string) =>
      issueCard(db, m.merchant.id, m === a ? staff : staffActor(m.owner.id), { templateId, customer: { phone: uniquePhone(), name: "L" } });
    const [c1, c2] = [await issue(a, levels.id), await issue(a, levels.id), await issue(a, levels.id), await issue(a, points.id)];
    const ctx = { merchantId: a.merchant.id, actor: { type: "api" as const, keyId: "till" } };
    await postTransaction(db, ctx, { cardId: c1.id, type: "purchase", amount: 150_000 });
    const gold = await postTransaction(db, ctx, { cardId: c2.id, type: "purchase", amount: 600_000 });
    const bLevels = await programmeTemplate(b, LEVELS);
    await issue(b, bLevels.id);
    await foldAll(db);
    const cardsAt = async (m: M, templateId?: string) =>
      (await levelDistribution(db, m.merchant.id, { templateId })).map((t) => [t.templateId, t.levels.map((l) => [l.name, l.cards])]);
    expect(await cardsAt(a)).toEqual([
      [
        levels.id,
        [
          ["Base", 1],
          ["Silver", 1],
          ["Gold", 1],
        ],
      ],
    ]);
    // A refund takes Gold back to Base; the figures follow the fold.
    await reverseTransaction(db, ctx, { transactionId: gold.transaction.id });
    await foldAll(db);
    expect((await cardsAt(a, levels.id))[0][1]).toEqual([
      ["Base", 2],
      ["Silver", 1],
      ["Gold", 0],
    ]);
    // The loyalty report carries it; B sees only its own card; A's template through B's id shows nothing.
    expect((await loyaltyReport(db, a.merchant.id, filters("2026-01-01", "2026-12-31"))).levels[0].levels.map((l) => l.cards)).toEqual([2, 1, 0]);
    expect(await cardsAt(b)).toEqual([
      [
        bLevels.id,
        [
          ["Base", 1],
          ["Silver", 0],
          ["Gold", 0],
        ],
      ],
    ]);
    expect(await cardsAt(b, levels.id)).toEqual([]);
    // A rebuild counts the same.
    await rebuildReports(db);
    expect((await cardsAt(a, levels.id))[0][1]).toEqual([
      ["Base", 2],
      ["Silver", 1],
      ["Gold", 0],
    ]);
  });

  it("after a random mix of events, folded in random batches, the rollups equal a rebuild and the counters equal the cards table", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const t1 = await programmeTemplate(m);
    const t2 = await programmeTemplate(m, LEVELS);
    const staff = staffActor(m.owner.id);
    const ctx = { merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till" } };
    let seed = 16;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const live: Awaited<ReturnType<typeof issueCard>>[] = [];
    const bought = new Set<string>();
    for (let step = 0; step < 80; step++) {
      const card = live.length ? live[rand(live.length)] : undefined;
      const op = card ? rand(9) : 0;
      if (op === 0)
        live.push(
          await issueCard(db, m.merchant.id, rand(2) ? staff : ctx.actor, {
            templateId: rand(2) ? t1.id : t2.id,
            customer: { phone: uniquePhone(), name: "R" },
          }),
        );
      else if (op <= 2) await device(card!, `dev-${rand(4)}`, rand(3) ? "apple" : "google", rand(3) ? "iPhone" : "Watch");
      else if (op === 3)
        await unregisterDevice(db, { ...card!, passTypeId: "pass.test" }, { platform: "apple", deviceLibraryId: `dev-${rand(4)}`, passTypeId: "pass.test" });
      else if (op <= 5) {
        await postTransaction(db, ctx, { cardId: card!.id, type: "purchase", amount: 1000 + rand(100_000) }).catch(() => null);
        bought.add(card!.id);
      } else if (op === 6) await transitionCard(db, m.merchant.id, staff, card!.id, rand(2) ? "block" : "unblock").catch(() => null);
      else if (op === 7) await moveCard(db, m.merchant.id, staff, card!.id, rand(2) ? t1.id : t2.id).catch(() => null);
      else if (rand(4) === 0 && !bought.has(card!.id)) {
        // A deleted card's ledger rows go with it, so a rebuild cannot place its purchases: only cards that bought nothing are deleted here.
        await deleteCard(db, m.merchant.id, staff, card!.id);
        live.splice(live.indexOf(card!), 1);
      }
      if (rand(5) === 0) await foldReports(db, { batch: 1 + rand(6) });
    }
    await foldAll(db, 60_000, 4);
    const incremental = await snapshot(db, m.merchant.id);
    const naive = rowsOf<{ status: string; n: number }>(
      await db.execute(sql`select status::text, count(*)::int as n from cards where merchant_id = ${m.merchant.id}::uuid group by 1`),
    );
    const statuses = await cardStatusesReport(db, m.merchant.id, {});
    for (const { status, n } of naive) expect(statuses[status as keyof typeof statuses]).toBe(n);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(live.length);
    await rebuildReports(db);
    expect(await snapshot(db, m.merchant.id)).toEqual(incremental);
  });
});
