// npm run bench:wallet [-- --cards 100000 --devices 50000 --seconds 10 --warmup 3 --connections 32 --hot 2000]
//   --only list,pass304,pass200   run some of the calls      --build          run `next build` when .next is missing
//   --quiet-wait S / --retries N  wait for, or retry until, a machine other work leaves alone (it is shared)
//   --app-cpu-prof DIR            write the app server's V8 CPU profile there      --keep-db   leave the database
// The Apple PassKit web service under load: a fresh PostgreSQL database with N cards, the app's
// production server, and beside it a bare node:http handler running the same queries (the database's
// limit, bench/wallet-service/bare.ts). Prints requests/s and latency of the list and latest-pass
// calls for both with the CPU each process spent, checks the targets, and shows that an unchanged
// card's pass is served from the cache while a changed one is rebuilt.
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { updateCardValues } from "@/lib/cards";
import { rowsOf } from "@/lib/wallet/queue";
import type { Result, Run, Scenario } from "./wallet-service/load";
import { cpuSeconds, freePort, machineSeconds, processTree, startLoadGenerator, startServer, waitForHealth, waitForQuiet } from "./wallet-service/procs";
import { loadTargets, seedWalletBench } from "./wallet-service/seed";
import { benchServerEnv, ensureBuild, serverBench } from "./lib/setup";

const { values: opts } = parseArgs({
  options: {
    cards: { type: "string", default: "100000" },
    devices: { type: "string" },
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "32" },
    hot: { type: "string", default: "2000" },
    only: { type: "string" },
    "quiet-wait": { type: "string", default: "120" },
    retries: { type: "string", default: "2" },
    "app-cpu-prof": { type: "string" },
    build: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
  },
});
const CARDS = Number(opts.cards);
const DEVICES = Number(opts.devices ?? Math.round(CARDS / 2));
const [SECONDS, WARMUP, CONNECTIONS, HOT] = [Number(opts.seconds), Number(opts.warmup), Number(opts.connections), Math.min(Number(opts.hot), CARDS - 1)];
const TARGET = { listRps: 1000, p99: 50, ratio: 0.7 };
const CORES = availableParallelism();
const root = process.cwd();
const here = path.join(root, "bench", "wallet-service");
const log = (line: string) => console.log(line);

const { dbUrl, dbName, work, cleanup, cleanedUp } = await serverBench("bench_wallet", !!opts["keep-db"]);

async function main() {
  ensureBuild(root, opts.build, log);
  // The seed seals the development certificate with this key; the server must open it with the same one.
  const env = benchServerEnv(dbUrl);

  log(`database ${dbName}: migrating and seeding ${CARDS} cards, ${DEVICES} devices`);
  const seedStart = performance.now();
  await runMigrations();
  const db = getDb();
  const seeded = await seedWalletBench(db, { cards: CARDS, devices: DEVICES, log });
  log(
    `seeded ${seeded.cards} cards, ${seeded.devices} devices, ${seeded.registrations} registrations in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );
  const targets = await loadTargets(db, seeded.merchantId);
  const targetsFile = path.join(work, "targets.json");
  writeFileSync(targetsFile, JSON.stringify({ ...targets, passTypeId: seeded.passTypeId, hot: HOT }));
  const passFile = path.join(work, "sample.pkpass");
  writeFileSync(passFile, seeded.samplePass);

  const [appPort, barePort] = [await freePort(), await freePort()];
  const serverEnv: NodeJS.ProcessEnv = { ...env, NODE_ENV: "production", PORT: String(appPort), APP_URL: `http://127.0.0.1:${appPort}` };
  if (opts["app-cpu-prof"]) serverEnv.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --cpu-prof --cpu-prof-dir=${path.resolve(opts["app-cpu-prof"])}`.trim();
  // The app as `npm start` runs it (scripts/server.ts): Next.js with the wallet's hot GETs answered first.
  const app = startServer(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", path.join(root, "scripts/server.ts")],
    {
      cwd: root,
      env: { ...serverEnv, PORT: String(appPort), HOSTNAME: "127.0.0.1" },
      label: "app",
    },
  );
  const bare = startServer(process.execPath, ["--import", "tsx", path.join(here, "bare.ts")], {
    cwd: root,
    env: { ...env, NODE_ENV: "production", PORT: String(barePort), BARE_PASS_FILE: passFile },
    label: "bare",
  });
  await Promise.all([waitForHealth(appPort, app), waitForHealth(barePort, bare)]);
  log(
    `app on :${appPort} (npm start: scripts/server.ts), bare handler on :${barePort}; load: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${SECONDS} s per run\n`,
  );

  const load = startLoadGenerator(path.join(here, "load.ts"), targetsFile);
  await nextMessage(load, "ready");
  const servers = { app: { port: appPort, child: app }, bare: { port: barePort, child: bare } };
  const rows: Row[] = [];
  const scenarios: [Scenario, string][] = [
    ["list", "list"],
    ["pass304", "pass 304"],
    ["pass200", "pass 200 (cached)"],
  ];
  for (const [scenario, label] of scenarios) {
    if (opts.only && !opts.only.split(",").includes(scenario)) continue;
    for (const [name, server] of Object.entries(servers)) {
      if (scenario === "pass200") {
        // Every hot card's pass is built once, so the measured run asks only for kept passes.
        const prime = await measure(
          load,
          { cmd: "prime", port: server.port, scenario, warmup: 0, seconds: 0, connections: CONNECTIONS },
          server.child,
          db,
          dbName,
        );
        if (name === "app") log(`primed ${HOT} passes on the app in ${prime.result.seconds.toFixed(1)} s (${JSON.stringify(prime.result.passHeader)})`);
      }
      // The machine is shared: a run during which other work took more than a quarter of a core is
      // repeated, and the quietest attempt is kept.
      let best: Row | undefined;
      for (let attempt = 0; attempt <= Number(opts.retries); attempt++) {
        const busy = await waitForQuiet(Number(opts["quiet-wait"]));
        if (busy > 0.15) log(`(machine still ${Math.round(busy * 100)}% busy with other work; measuring anyway)`);
        const m = await measure(
          load,
          { cmd: "run", port: server.port, scenario, warmup: WARMUP, seconds: SECONDS, connections: CONNECTIONS },
          server.child,
          db,
          dbName,
        );
        const row: Row = { label: `${name} ${label}`, scenario, server: name, ...m };
        log(formatRow(row));
        if (!best || row.usage.other < best.usage.other) best = row;
        if (row.usage.other <= 0.25) break;
      }
      rows.push(best!);
    }
  }
  load.kill();
  printReport(rows);
  await checkCache(db, seeded, appPort);
}

/** CPU in cores (1 = one core busy all the time); `other` is whatever else the machine ran meanwhile. */
type Usage = { server: number; load: number; postgres: number; other: number };
type Row = { label: string; scenario: Scenario; server: string; result: Result; usage: Usage };

async function measure(
  load: ChildProcess,
  job: Run,
  server: ChildProcess,
  db: ReturnType<typeof getDb>,
  name: string,
): Promise<{ result: Result; usage: Usage }> {
  const backends = async () =>
    rowsOf<{ pid: number }>(await db.execute(sql`select pid from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`)).map((r) => r.pid);
  let from: { server: number; postgres: number; machine: { busy: number; total: number }; pids: number[]; serverPids: number[] } | undefined;
  const done = nextMessage<{ result: Result }>(load, "result");
  const snapshot = async () => {
    const pids = await backends();
    const serverPids = processTree(server.pid!);
    return { pids, serverPids, server: cpuSeconds(serverPids), postgres: cpuSeconds(pids), machine: machineSeconds() };
  };
  if (job.cmd === "run") void nextMessage(load, "measuring").then(async () => (from = await snapshot()));
  load.send(job);
  const { result } = await done;
  if (!from) return { result, usage: { server: NaN, load: result.loadCpu, postgres: NaN, other: NaN } };
  const machine = machineSeconds();
  const seconds = result.seconds;
  // A backend that ended meanwhile drops out of the sum, hence the floor at zero.
  const srv = Math.max(0, (cpuSeconds(from.serverPids) - from.server) / seconds);
  const pg = Math.max(0, (cpuSeconds(from.pids) - from.postgres) / seconds);
  const busy = ((machine.busy - from.machine.busy) / (machine.total - from.machine.total)) * CORES;
  return { result, usage: { server: srv, load: result.loadCpu, postgres: pg, other: Math.max(0, busy - srv - pg - result.loadCpu) } };
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

const pct = (x: number) => (Number.isNaN(x) ? "   –" : `${Math.round(x * 100)}%`.padStart(5));
function formatRow(r: Row): string {
  const s = r.result;
  const rps = s.requests / s.seconds;
  const perRequest = (cores: number) => (Number.isNaN(cores) ? "   –" : ((cores * 1000) / rps).toFixed(2).padStart(5));
  const codes = Object.entries(s.statuses)
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
  const built = s.passHeader.built ? ` built:${s.passHeader.built}` : "";
  return [
    r.label.padEnd(24),
    (s.requests / s.seconds).toFixed(0).padStart(7),
    s.p50.toFixed(1).padStart(7),
    s.p99.toFixed(1).padStart(7),
    String(s.errors).padStart(6),
    ` ${pct(r.usage.server)} ${pct(r.usage.postgres)} ${pct(r.usage.load)} ${pct(r.usage.other)}`,
    ` ${perRequest(r.usage.server)} ${perRequest(r.usage.postgres)}`,
    `  ${codes}${built}${s.firstError ? ` first error: ${s.firstError}` : ""}`,
  ].join(" ");
}

function printReport(rows: Row[]) {
  log(`\nwallet web service, ${CARDS} cards, ${CONNECTIONS} connections, ${SECONDS} s each, ${CORES} cores`);
  log(
    `CPU as % of one core: srv = the server under test, pg = its PostgreSQL backends, load = load generator, other = everything else on the machine (other people's work, kernel network time); ms/req = CPU ms per request`,
  );
  log(
    `${"".padEnd(24)} ${"req/s".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"errors".padStart(6)}   srv    pg  load other  srv ms pg ms  statuses`,
  );
  for (const r of rows) log(formatRow(r));
  const rps = (server: string, scenario: Scenario) => {
    const r = rows.find((x) => x.server === server && x.scenario === scenario);
    return r ? r.result.requests / r.result.seconds : NaN;
  };
  log("");
  for (const scenario of ["list", "pass304", "pass200"] as Scenario[]) {
    const ratio = rps("app", scenario) / rps("bare", scenario);
    if (!Number.isNaN(ratio)) log(`app/bare ${scenario.padEnd(8)} ${ratio.toFixed(2)}×`);
  }
  const list = rows.find((x) => x.server === "app" && x.scenario === "list");
  if (!list) return;
  const checks: [string, boolean][] = [
    [`app list ≥ ${TARGET.listRps} req/s (${rps("app", "list").toFixed(0)})`, rps("app", "list") >= TARGET.listRps],
    [`app list p99 < ${TARGET.p99} ms (${list.result.p99.toFixed(1)})`, list.result.p99 < TARGET.p99],
    [`app list ≥ ${TARGET.ratio}× bare (${(rps("app", "list") / rps("bare", "list")).toFixed(2)}×)`, rps("app", "list") / rps("bare", "list") >= TARGET.ratio],
    [`no errors in any run`, rows.every((r) => r.result.errors === 0)],
  ];
  const cached = rows.find((x) => x.server === "app" && x.scenario === "pass200");
  if (cached)
    checks.push([`app pass 200 served only kept passes (built during the run: ${cached.result.passHeader.built ?? 0})`, !cached.result.passHeader.built]);
  for (const [what, ok] of checks) log(`${ok ? "PASS" : "FAIL"}  ${what}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

/** An unchanged card is answered from the kept pass; a change makes the next answer a new build. */
async function checkCache(db: ReturnType<typeof getDb>, seeded: Awaited<ReturnType<typeof seedWalletBench>>, port: number) {
  const [card] = rowsOf<{ id: string; serial_number: string; authentication_token: string }>(
    await db.execute(sql`select id, serial_number, authentication_token from cards where id = ${seeded.firstCardId}::uuid`),
  );
  const get = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/wallet/v1/passes/${encodeURIComponent(seeded.passTypeId)}/${card.serial_number}`, {
      headers: { authorization: `ApplePass ${card.authentication_token}` },
    });
    return {
      status: res.status,
      how: res.headers.get("x-carddesk-pass"),
      lastModified: res.headers.get("last-modified"),
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  };
  const a = await get();
  const b = await get();
  const unchanged = b.status === 200 && b.how === "cached" && b.bytes.equals(a.bytes);
  log(
    `\nunchanged card: 1st ${a.status} ${a.how}, 2nd ${b.status} ${b.how}, bytes ${b.bytes.equals(a.bytes) ? "identical" : "DIFFERENT"} (${b.bytes.length} B)`,
  );
  const [owner] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where merchant_id = ${seeded.merchantId}::uuid`));
  await updateCardValues(db, seeded.merchantId, { type: "staff", userId: owner.id }, card.id, { balance: 4242 });
  const c = await get();
  const changed = c.status === 200 && c.how === "built" && !c.bytes.equals(b.bytes);
  log(
    `changed card (balance → 4242): ${c.status} ${c.how}, bytes ${c.bytes.equals(b.bytes) ? "IDENTICAL" : "different"}, Last-Modified ${b.lastModified} → ${c.lastModified}`,
  );
  log(`${unchanged ? "PASS" : "FAIL"}  an unchanged card is not rebuilt`);
  log(`${changed ? "PASS" : "FAIL"}  a changed card is rebuilt`);
  if (!unchanged || !changed) process.exitCode = 1;
}

// Last, so every declaration above is initialised before main runs.
try {
  await main();
} catch (err) {
  // After Ctrl-C the children are gone on purpose; only a real failure is worth printing.
  if (!cleanedUp()) console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
