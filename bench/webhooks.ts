// npm run bench:webhooks [-- --events 10000 --endpoints 3 --keep-db]
// Webhook delivery against a fresh PostgreSQL database (DATABASE_URL names the server): N events are
// recorded through the events door (the webhooks follower writes one delivery per endpoint in each
// event's transaction), then a worker in a process of its own (pg-boss, as in production) delivers
// them to loopback receivers that verify every request with the `standardwebhooks` package. A third
// of the way through the worker is killed (SIGKILL) and a new one started: the bench counts every
// event at every receiver and fails unless each has each event at least once, every signature
// verified, and every delivery row says succeeded. Prints deliveries/s (while a worker runs, and
// overall including the lease a killed worker's batch waits out) and the target (≥ 500/s).
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { closeDb, getDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { record } from "@/lib/card-events";
import { stopBoss } from "@/lib/jobs/boss";
import { LEASE_SECONDS } from "@/lib/webhooks/deliver";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { scheduleWebhookRun } from "@/lib/webhooks/queue";
import { benchDatabase, benchMerchant } from "./lib/setup";
import { startWorkerProcess } from "./lib/worker-process";

const { values: opts } = parseArgs({
  options: { events: { type: "string", default: "10000" }, endpoints: { type: "string", default: "3" }, "keep-db": { type: "boolean", default: false } },
});
const EVENTS = Number(opts.events);
const ENDPOINTS = Number(opts.endpoints);
const TARGET_PER_SECOND = 500;
const log = (line: string) => console.log(line);

type Receiver = { url: string; seen: Map<string, number>; requests: number; badSignatures: number; secret: string; close: () => Promise<void> };

/** A CRM stand-in on loopback: verifies each request with standardwebhooks and counts each webhook-id. */
async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: "", seen: new Map(), requests: 0, badSignatures: 0, secret: "", close: async () => {} };
  let verifier: Webhook | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receiver.requests += 1;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      try {
        verifier ??= new Webhook(receiver.secret);
        verifier.verify(Buffer.concat(chunks).toString("utf8"), headers);
      } catch {
        receiver.badSignatures += 1;
        res.statusCode = 400;
        return res.end("bad signature");
      }
      const id = headers["webhook-id"];
      receiver.seen.set(id, (receiver.seen.get(id) ?? 0) + 1);
      res.end("ok");
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

const delivered = (receivers: Receiver[]) => receivers.reduce((n, r) => n + r.seen.size, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const bench = await benchDatabase("bench_webhooks", { WEBHOOK_ALLOW_LOOPBACK: "true" });
let failed = false;
const workers: ChildProcess[] = [];
const receivers: Receiver[] = [];

try {
  await runMigrations();
  const db = getDb();
  const { merchant, actor } = await benchMerchant(db, "Webhook bench");
  for (let i = 0; i < ENDPOINTS; i++) {
    const receiver = await startReceiver();
    const { secret } = await createEndpoint(db, actor, { url: receiver.url, events: ["*"] });
    receiver.secret = secret;
    receivers.push(receiver);
  }

  // The events, through the door, 500 to a transaction (as a CSV import records them).
  let started = performance.now();
  const ids: string[] = [];
  for (let done = 0; done < EVENTS; done += 500) {
    const n = Math.min(500, EVENTS - done);
    await db.transaction((tx) =>
      record(
        tx,
        { merchantId: merchant.id, actor: { type: "system" } },
        Array.from({ length: n }, (_, i) => ({ type: "card.updated" as const, data: { seq: done + i } })),
      ),
    );
  }
  for (const r of rowsOf<{ id: string }>(await db.execute(sql`select id from card_events where merchant_id = ${merchant.id}::uuid`))) ids.push(r.id);
  const total = EVENTS * ENDPOINTS;
  const [{ n: queued }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from webhook_deliveries`));
  log(`webhooks bench: ${EVENTS} events × ${ENDPOINTS} endpoints = ${total} deliveries (${queued} queued by the follower)`);
  log(`  record ${EVENTS} events with their deliveries       ${((performance.now() - started) / 1000).toFixed(2)} s`);
  if (Number(queued) !== total) throw new Error(`the follower queued ${queued} deliveries, expected ${total}`);

  // Deliver: a worker, killed a third of the way, and a new one.
  started = performance.now();
  workers.push(await startWorkerProcess(["webhook-deliver"]));
  await scheduleWebhookRun();
  while (delivered(receivers) < total / 3) await sleep(20);
  const killedAt = performance.now();
  const atKill = delivered(receivers);
  workers[0].kill("SIGKILL");
  await new Promise((resolve) => workers[0].once("exit", resolve));
  const firstRate = atKill / ((killedAt - started) / 1000);
  log(`  worker 1: ${atKill} delivered in ${((killedAt - started) / 1000).toFixed(2)} s, then SIGKILL`);

  const restartedAt = performance.now();
  workers.push(await startWorkerProcess(["webhook-deliver"]));
  await scheduleWebhookRun();
  let lastProgress = performance.now();
  let last = delivered(receivers);
  let leaseWaitStart = 0;
  let leaseWaitMs = 0;
  while (delivered(receivers) < total) {
    await sleep(50);
    const now = delivered(receivers);
    if (now !== last) {
      if (leaseWaitStart) leaseWaitMs += performance.now() - leaseWaitStart;
      leaseWaitStart = 0;
      last = now;
      lastProgress = performance.now();
    } else if (!leaseWaitStart && performance.now() - lastProgress > 500) {
      // Nothing moving: what is left is the killed worker's leased batch, due again after the lease.
      leaseWaitStart = lastProgress;
      await scheduleWebhookRun(LEASE_SECONDS);
    }
    if (performance.now() - restartedAt > (LEASE_SECONDS + 120) * 1000) throw new Error(`stalled at ${now} of ${total}`);
  }
  if (leaseWaitStart) leaseWaitMs += performance.now() - leaseWaitStart;
  const elapsed = (performance.now() - started) / 1000;
  const working = elapsed - leaseWaitMs / 1000 - (restartedAt - killedAt) / 1000;

  // Every event at every receiver, every signature good, every row settled.
  await sleep(500);
  const missing = receivers.reduce((n, r) => n + ids.filter((id) => !r.seen.has(`evt_${id.replaceAll("-", "")}`)).length, 0);
  const repeats = receivers.reduce((n, r) => n + [...r.seen.values()].reduce((m, c) => m + c - 1, 0), 0);
  const bad = receivers.reduce((n, r) => n + r.badSignatures, 0);
  const [{ n: unsettled }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from webhook_deliveries where status <> 'succeeded'`));
  log(
    `  worker 2: the rest (the killed worker's claimed batch falls due again after its ${LEASE_SECONDS} s lease); ${(leaseWaitMs / 1000).toFixed(1)} s with nothing to send`,
  );
  log("");
  log(`  deliveries/s while a worker runs   ${String(Math.round(total / working)).padStart(7)}   (worker 1 alone: ${Math.round(firstRate)})`);
  log(`  deliveries/s overall               ${String(Math.round(total / elapsed)).padStart(7)}   (${elapsed.toFixed(2)} s, kill, restart and lease included)`);
  log(`  missing ${missing}   repeated after the kill ${repeats} (same webhook-id)   bad signatures ${bad}   rows not succeeded ${unsettled}`);
  const rate = total / working;
  if (missing || bad || Number(unsettled)) {
    failed = true;
    log("FAIL: an event was lost, a signature did not verify, or a row is not settled");
  } else
    log(
      rate >= TARGET_PER_SECOND
        ? `OK: ≥ ${TARGET_PER_SECOND} deliveries/s and nothing lost`
        : `BELOW TARGET: ${Math.round(rate)} < ${TARGET_PER_SECOND} deliveries/s`,
    );
  if (rate < TARGET_PER_SECOND) failed = true;
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
  for (const r of receivers) await r.close();
  await stopBoss().catch(() => {});
  await closeDb();
  await bench.drop(!!opts["keep-db"]);
}
process.exit(failed ? 1 : 0);
