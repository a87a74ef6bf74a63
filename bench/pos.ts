// npm run bench:pos [-- --cards 100000 --seconds 10 --warmup 3 --connections 32 --redeemers 50 --per-redeemer 40]
//   --instances N                 run N app servers (and N bare ones), the load spread over them: a 2-core machine runs 2
//   --only lookup,purchase,hot    run some of the scenarios     --build        run `next build` when .next is missing
//   --quiet-wait S / --retries N  wait for, or retry until, a machine other work leaves alone (it is shared)
//   --sql-only                    only print the app's statements beside the bare handler's (BENCH_SQL=1: in full)
//   --bare-first                  measure the bare handler before the app
//   --app-cpu-prof DIR            write the app server's V8 CPU profile there (--bare-cpu-prof: the bare handler's)      --keep-db   leave the database
// The till's API under load: a fresh PostgreSQL database with N loyalty cards (about half in a wallet),
// the app's production server (`npm start`), and beside it a bare node:http handler that runs the same
// SQL in the same transaction with nothing of ours around it (bench/pos/bare.ts): the ratio is what our
// layers cost. Prints transactions/s and p50/p99 of GET /pos/lookup and of a `purchase`, checks the
// targets, then races 50 redeemers on one card for five times its balance and checks it was spent
// exactly once. Only 127.0.0.1; every run bounded in time.
import { writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { stopBoss } from "@/lib/jobs/boss";
import { rowsOf } from "@/lib/wallet/queue";
import { BARE_LOOKUP_SQL, BARE_PURCHASE_SQL, normalise, shapeOf } from "./pos/bare-sql";
import { captureAppSql, installRecordingDb } from "./pos/capture";
import type { Result, Run, Scenario } from "./pos/load";
import { loadPosTargets, seedPosBench } from "./pos/seed";
import { cpuSeconds, freePort, machineSeconds, processTree, startLoadGenerator, startServer, waitForHealth, waitForQuiet } from "./wallet-service/procs";
import { enablePgStatements, pgStatementsWanted, resetPgStatements, topPgStatements } from "./lib/pg-statements";
import { benchServerEnv, ensureBuild, serverBench } from "./lib/setup";

const { values: opts } = parseArgs({
  options: {
    cards: { type: "string", default: "100000" },
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "32" },
    redeemers: { type: "string", default: "50" },
    "per-redeemer": { type: "string", default: "40" },
    instances: { type: "string", default: "1" },
    only: { type: "string" },
    "quiet-wait": { type: "string", default: "60" },
    retries: { type: "string", default: "1" },
    "app-cpu-prof": { type: "string" },
    "bare-cpu-prof": { type: "string" },
    build: { type: "boolean", default: false },
    "sql-only": { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
    "bare-first": { type: "boolean", default: false },
  },
});
const CARDS = Number(opts.cards);
const [SECONDS, WARMUP, CONNECTIONS] = [Number(opts.seconds), Number(opts.warmup), Number(opts.connections)];
const [REDEEMERS, PER_REDEEMER, HOT_POINTS] = [Number(opts.redeemers), Number(opts["per-redeemer"]), 10];
const INSTANCES = Number(opts.instances);
// Together the redeemers ask for five times what the hot card holds.
const HOT_BALANCE = (REDEEMERS * PER_REDEEMER * HOT_POINTS) / 5;
const TARGET = { purchaseRps: 500, p99: 100, ratio: 0.7 };
const CORES = availableParallelism();
const root = process.cwd();
const here = path.join(root, "bench", "pos");
const log = (line: string) => console.log(line);
const wanted = (s: Scenario) => !opts.only || opts.only.split(",").includes(s);

const { dbUrl, dbName, work, cleanup, cleanedUp } = await serverBench("bench_pos", !!opts["keep-db"]);

type Db = ReturnType<typeof getDb>;

async function main() {
  // 32 tills at full speed are far beyond a person at a till; the per-key limit would only measure itself.
  const env = benchServerEnv(dbUrl, { API_RATE_LIMIT_PER_MINUTE: "10000000" });
  installRecordingDb(dbUrl);

  log(`database ${dbName}: migrating and seeding ${CARDS} cards`);
  const seedStart = performance.now();
  await runMigrations();
  const db = getDb();
  await enablePgStatements(db);
  const seeded = await seedPosBench(db, { cards: CARDS, tills: CONNECTIONS, log });
  log(`seeded ${seeded.cards} cards (${seeded.held} in a wallet) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  const targets = await loadPosTargets(db, seeded.merchantId, seeded.firstCardId, seeded.keys);
  const targetsFile = path.join(work, "targets.json");
  writeFileSync(targetsFile, JSON.stringify(targets));

  // The app's statements for one lookup and one purchase (of a card a wallet holds), next to the bare handler's.
  const [held] = rowsOf<{ id: string; number: string }>(
    await db.execute(
      sql`select c.id, c.number from cards c where c.id <> ${seeded.firstCardId}::uuid and exists (select 1 from wallet_registrations r where r.card_id = c.id) limit 1`,
    ),
  );
  const captured = await captureAppSql(seeded.keys[0], held);
  const sqlMatches = printSql(captured);
  await stopBoss(); // the capture's wake-up started one in this process
  if (opts["sql-only"]) return;
  ensureBuild(root, opts.build, log);

  const appPorts: number[] = [];
  const barePorts: number[] = [];
  const apps: ChildProcess[] = [];
  const bares: ChildProcess[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    const [appPort, barePort] = [await freePort(), await freePort()];
    const serverEnv: NodeJS.ProcessEnv = {
      ...env,
      NODE_ENV: "production",
      PORT: String(appPort),
      APP_URL: `http://127.0.0.1:${appPort}`,
      HOSTNAME: "127.0.0.1",
    };
    if (opts["app-cpu-prof"]) serverEnv.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --cpu-prof --cpu-prof-dir=${path.resolve(opts["app-cpu-prof"])}`.trim();
    apps.push(
      startServer(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", path.join(root, "scripts/server.ts")], {
        cwd: root,
        env: serverEnv,
        label: `app${i || ""}`,
      }),
    );
    bares.push(
      startServer(process.execPath, ["--import", "tsx", path.join(here, "bare.ts")], {
        cwd: root,
        env: {
          ...env,
          NODE_ENV: "production",
          PORT: String(barePort),
          ...(opts["bare-cpu-prof"] ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(opts["bare-cpu-prof"])}` } : {}),
        },
        label: `bare${i || ""}`,
      }),
    );
    appPorts.push(appPort);
    barePorts.push(barePort);
  }
  await Promise.all([...appPorts.map((p, i) => waitForHealth(p, apps[i])), ...barePorts.map((p, i) => waitForHealth(p, bares[i]))]);
  log(
    `\napp on :${appPorts.join(", :")} (npm start), bare handler on :${barePorts.join(", :")}; ${CONNECTIONS} connections (one till key each), ${WARMUP} s warm-up + ${SECONDS} s per run`,
  );
  log(
    `load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}\n`,
  );

  const load = startLoadGenerator(path.join(here, "load.ts"), targetsFile);
  await nextMessage(load, "ready");
  const app = { ports: appPorts, children: apps };
  const bare = { ports: barePorts, children: bares };
  // Which runs first: the second meets tables a few thousand purchases bigger (--bare-first swaps them to show it does not matter).
  const servers = opts["bare-first"] ? { bare, app } : { app, bare };
  const rows: Row[] = [];
  for (const scenario of ["lookup", "purchase"] as const) {
    if (!wanted(scenario)) continue;
    for (const [name, server] of Object.entries(servers)) {
      let best: Row | undefined;
      for (let attempt = 0; attempt <= Number(opts.retries); attempt++) {
        const busy = await waitForQuiet(Number(opts["quiet-wait"]));
        if (busy > 0.15) log(`(machine still ${Math.round(busy * 100)}% busy with other work; measuring anyway)`);
        const job: Run = {
          ports: server.ports,
          scenario,
          warmup: WARMUP,
          seconds: SECONDS,
          connections: CONNECTIONS,
          prefix: `${name}-${scenario}-${attempt}`,
        };
        const m = await measure(load, job, server.children, db, dbName);
        const row: Row = { label: `${name} ${scenario}`, scenario, server: name, ...m, loadavg: loadavg()[0] };
        log(formatRow(row));
        if (!best || row.usage.other < best.usage.other) best = row;
        if (row.usage.other <= 0.25) break;
      }
      rows.push(best!);
    }
  }
  const hot: HotRow[] = [];
  if (wanted("hot")) {
    for (const [name, server] of Object.entries(servers)) hot.push(await raceHotCard(load, db, targets.hotCardId, name, server.ports));
  }
  load.kill();
  printReport(rows, hot, sqlMatches);
}

/** CPU in cores (1 = one core busy all the time); `other` is whatever else the machine ran meanwhile. */
type Usage = { server: number; load: number; postgres: number; other: number };
type Row = { label: string; scenario: Scenario; server: string; result: Result; usage: Usage; loadavg: number };
type HotRow = { server: string; result: Result; balanceBefore: number; balanceAfter: number; redeemedInLedger: number; minBalanceAfter: number; ok: boolean };

async function measure(load: ChildProcess, job: Run, servers: ChildProcess[], db: Db, name: string): Promise<{ result: Result; usage: Usage }> {
  const described = async () =>
    rowsOf<{ pid: number; who: string }>(
      await db.execute(
        sql`select pid, coalesce(nullif(application_name, ''), backend_type) as who from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`,
      ),
    );
  const backends = async () => (await described()).map((r) => r.pid);
  // BENCH_PG_WHO=1: the PostgreSQL CPU split by who holds the backend (the server's pool, pg-boss, autovacuum).
  let whoFrom: { pid: number; who: string; cpu: number }[] = [];
  let from: { server: number; postgres: number; machine: { busy: number; total: number }; pids: number[]; serverPids: number[] } | undefined;
  const done = nextMessage<{ result: Result }>(load, "result");
  const snapshot = async () => {
    const pids = await backends();
    const serverPids = servers.flatMap((server) => processTree(server.pid!));
    return { pids, serverPids, server: cpuSeconds(serverPids), postgres: cpuSeconds(pids), machine: machineSeconds() };
  };
  void nextMessage(load, "measuring").then(async () => {
    if (process.env.BENCH_PG_WHO) whoFrom = (await described()).map((b) => ({ ...b, cpu: cpuSeconds([b.pid]) }));
    await resetPgStatements(db);
    from = await snapshot();
  });
  load.send(job);
  const { result } = await done;
  if (!from) return { result, usage: { server: NaN, load: result.loadCpu, postgres: NaN, other: NaN } };
  const machine = machineSeconds();
  const seconds = result.seconds;
  const srv = Math.max(0, (cpuSeconds(from.serverPids) - from.server) / seconds);
  const pg = Math.max(0, (cpuSeconds(from.pids) - from.postgres) / seconds);
  const busy = ((machine.busy - from.machine.busy) / (machine.total - from.machine.total)) * CORES;
  if (whoFrom.length) {
    const split = new Map<string, number>();
    for (const b of whoFrom) split.set(b.who, (split.get(b.who) ?? 0) + (cpuSeconds([b.pid]) - b.cpu) / seconds);
    log(`  ${job.scenario} pg CPU by backend: ${[...split].map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`).join(", ")}`);
  }
  if (pgStatementsWanted) await printStatements(db, name, job.scenario, result.requests);
  return { result, usage: { server: srv, load: result.loadCpu, postgres: pg, other: Math.max(0, busy - srv - pg - result.loadCpu) } };
}

/**
 * BENCH_PG_STATEMENTS=1 (PostgreSQL with pg_stat_statements preloaded, track_planning on): what each
 * statement cost during the run, per request: planning and execution ms, buffers touched, WAL bytes.
 */
async function printStatements(db: Db, name: string, scenario: Scenario, requests: number) {
  const rows = await topPgStatements(db, name, 14, 60);
  const [wal] = rowsOf<{ records: string; fpi: string; bytes: string; writes: string; syncs: string }>(
    await db.execute(sql`select wal_records as records, wal_fpi as fpi, wal_bytes as bytes, wal_write as writes, wal_sync as syncs from pg_stat_wal`),
  );
  const each = (x: string) => (Number(x) / requests).toFixed(2);
  log(
    `  ${scenario}: WAL per request: ${each(wal.records)} records, ${each(wal.fpi)} full pages, ${each(wal.bytes)} bytes, ${each(wal.writes)} writes, ${each(wal.syncs)} syncs`,
  );
  log(`  ${scenario}: statements per request (${requests} requests): calls, plan ms, exec ms, buffers, WAL bytes`);
  for (const r of rows) {
    const per = (x: number) => x / requests;
    log(
      `    ${per(r.calls).toFixed(2).padStart(5)} ${per(r.planMs).toFixed(3).padStart(7)} ${per(r.execMs).toFixed(3).padStart(7)} ${per(r.buffers).toFixed(0).padStart(5)} ${per(r.walBytes).toFixed(0).padStart(6)}  ${r.query}`,
    );
  }
}

/** 50 tills redeem on one card at once, together asking five times its balance: it must be spent exactly once. */
async function raceHotCard(load: ChildProcess, db: Db, cardId: string, server: string, ports: number[]): Promise<HotRow> {
  await db.execute(sql`update cards set balance = ${HOT_BALANCE} where id = ${cardId}::uuid`);
  const since = rowsOf<{ now: string }>(await db.execute(sql`select clock_timestamp()::text as now`))[0].now;
  const done = nextMessage<{ result: Result }>(load, "result");
  load.send({
    ports,
    scenario: "hot",
    warmup: 0,
    seconds: 0,
    connections: REDEEMERS,
    prefix: `${server}-hot`,
    hot: { points: HOT_POINTS, perWorker: PER_REDEEMER },
  } satisfies Run);
  const { result } = await done;
  const [after] = rowsOf<{ balance: number; redeemed: number; min_after: number | null }>(
    await db.execute(sql`
      select c.balance,
        (select coalesce(sum(t.redeemed), 0)::int from ledger_transactions t where t.card_id = c.id and t.created_at >= ${since}::timestamptz) as redeemed,
        (select min(m.balance_after) from ledger_movements m where m.card_id = c.id and m.created_at >= ${since}::timestamptz) as min_after
      from cards c where c.id = ${cardId}::uuid`),
  );
  const ok = result.granted === HOT_BALANCE && after.balance === 0 && after.redeemed === HOT_BALANCE && (after.min_after ?? 0) >= 0 && result.errors === 0;
  const row: HotRow = {
    server,
    result,
    balanceBefore: HOT_BALANCE,
    balanceAfter: after.balance,
    redeemedInLedger: after.redeemed,
    minBalanceAfter: after.min_after ?? 0,
    ok,
  };
  log(formatHot(row));
  return row;
}

function nextMessage<T = unknown>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type: string }) => {
      if (msg.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(msg as T);
    };
    const onExit = (code: number | null) => reject(new Error(`load generator exited (${code})`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Prints the app's statements beside the bare handler's; true when they are the same statements in the same order. */
function printSql(captured: Awaited<ReturnType<typeof captureAppSql>>): boolean {
  let same = true;
  for (const [what, got, bare] of [
    ["lookup", captured.lookup, BARE_LOOKUP_SQL],
    ["purchase", captured.purchase, BARE_PURCHASE_SQL],
  ] as const) {
    log(`\nthe app's ${what}, ${got.statements.length} statements; the bare handler's beside it:`);
    const app = got.statements.map(normalise);
    const mine = bare.map(normalise);
    for (let i = 0; i < Math.max(app.length, mine.length); i++) {
      const mark = app[i] === mine[i] ? " " : "≠";
      log(`  ${mark} ${(app[i] === undefined ? "—" : shapeOf(app[i])).padEnd(60)} ${mine[i] === undefined ? "—" : shapeOf(mine[i])}`);
    }
    if (app.join("\n") !== mine.join("\n")) same = false;
    if (process.env.BENCH_SQL) for (const s of got.statements) log(`    ${s}`);
  }
  return same;
}

const pct = (x: number) => (Number.isNaN(x) ? "   –" : `${Math.round(x * 100)}%`.padStart(5));
function formatRow(r: Row): string {
  const s = r.result;
  const rps = s.requests / s.seconds;
  const perRequest = (cores: number) => (Number.isNaN(cores) ? "   –" : ((cores * 1000) / rps).toFixed(2).padStart(5));
  const codes = Object.entries(s.statuses)
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
  return [
    r.label.padEnd(16),
    rps.toFixed(0).padStart(7),
    s.p50.toFixed(1).padStart(7),
    s.p99.toFixed(1).padStart(7),
    String(s.errors).padStart(6),
    ` ${pct(r.usage.server)} ${pct(r.usage.postgres)} ${pct(r.usage.load)} ${pct(r.usage.other)}`,
    ` ${perRequest(r.usage.server)} ${perRequest(r.usage.postgres)}`,
    ` ${r.loadavg.toFixed(2).padStart(5)}`,
    `  ${codes}${s.firstError ? ` first error: ${s.firstError}` : ""}`,
  ].join(" ");
}

function formatHot(h: HotRow): string {
  const s = h.result;
  const codes = Object.entries(s.statuses)
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
  return (
    `${h.server} hot card: ${REDEEMERS} redeemers × ${PER_REDEEMER} × ${HOT_POINTS} points on a balance of ${h.balanceBefore}: ` +
    `${(s.requests / s.seconds).toFixed(0)} req/s (${(s.granted / HOT_POINTS / s.seconds).toFixed(0)} redemptions/s), p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms; ` +
    `granted ${s.granted}, in the ledger ${h.redeemedInLedger}, balance now ${h.balanceAfter}, lowest balance after ${h.minBalanceAfter}; ${codes}` +
    `${s.firstError ? ` first error: ${s.firstError}` : ""}`
  );
}

function printReport(rows: Row[], hot: HotRow[], sqlMatches: boolean) {
  log(
    `\nPOS API, ${CARDS} cards, ${CONNECTIONS} connections, ${INSTANCES} instance(s) of each server, ${SECONDS} s each, ${CORES} cores; load average now ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  log(
    `CPU as % of one core: srv = the server under test, pg = its PostgreSQL backends, load = load generator, other = everything else on the machine; ms/req = CPU ms per request; la = 1-min load average after the run`,
  );
  log(
    `${"".padEnd(16)} ${"req/s".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"errors".padStart(6)}   srv    pg  load other  srv ms pg ms     la  statuses`,
  );
  for (const r of rows) log(formatRow(r));
  for (const h of hot) log(formatHot(h));
  const find = (server: string, scenario: Scenario) => rows.find((x) => x.server === server && x.scenario === scenario);
  const rps = (server: string, scenario: Scenario) => {
    const r = find(server, scenario);
    return r ? r.result.requests / r.result.seconds : NaN;
  };
  log("");
  for (const scenario of ["lookup", "purchase"] as Scenario[]) {
    const ratio = rps("app", scenario) / rps("bare", scenario);
    if (!Number.isNaN(ratio)) log(`app/bare ${scenario.padEnd(8)} ${ratio.toFixed(2)}×`);
  }
  const checks: [string, boolean][] = [[`the bare handler runs the statements the app runs`, sqlMatches]];
  const purchase = find("app", "purchase");
  if (purchase) {
    checks.push(
      [`app purchase ≥ ${TARGET.purchaseRps}/s (${rps("app", "purchase").toFixed(0)})`, rps("app", "purchase") >= TARGET.purchaseRps],
      [`app purchase p99 < ${TARGET.p99} ms (${purchase.result.p99.toFixed(1)})`, purchase.result.p99 < TARGET.p99],
      [
        `app purchase ≥ ${TARGET.ratio}× bare (${(rps("app", "purchase") / rps("bare", "purchase")).toFixed(2)}×)`,
        rps("app", "purchase") / rps("bare", "purchase") >= TARGET.ratio,
      ],
    );
  }
  checks.push([`no errors in any run`, rows.every((r) => r.result.errors === 0)]);
  for (const h of hot) checks.push([`${h.server} hot card: spent exactly once, 0 double-spends`, h.ok]);
  for (const [what, ok] of checks) log(`${ok ? "PASS" : "FAIL"}  ${what}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

// Last, so every declaration above is initialised before main runs.
try {
  await main();
} catch (err) {
  if (!cleanedUp()) console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
