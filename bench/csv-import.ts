// npm run bench:csv [-- --rows 100000,200000 --keep-db]
// A CSV import of N cards against a fresh PostgreSQL database (DATABASE_URL names the server): the
// check (decode, csv-parse, the API's zod schemas per cell, the held-phone lookup and the staging
// rows: what POST /api/cards/imports does) and the issue (the batch runner to completion, as the
// worker's jobs run it). Beside each, an anchor on the same bytes in the same run: bare csv-parse with
// no validation, and a bare multi-row INSERT of N card-shaped rows. Prints rows/s, elapsed, the
// longest event-loop stall and peak RSS, checks the targets (100,000 rows checked < 3 s and issued
// < 10 s, peak RSS < 500 MB), then drops the database.
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { parse as createParser } from "csv-parse";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { closeDb, getDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { cardImports } from "@/db/schema";
import { getCardImportOrThrow, runCardImport } from "@/lib/cards/import";
import { previewUploadedImport } from "@/lib/cards/import-upload";
import { stopBoss } from "@/lib/jobs/boss";
import { createTemplate } from "@/lib/templates";
import { benchDatabase, benchMerchant } from "./lib/setup";

const { values: opts } = parseArgs({ options: { rows: { type: "string", default: "100000,200000" }, "keep-db": { type: "boolean", default: false } } });
const SIZES = opts.rows.split(",").map(Number);
const TARGET = { rows: 100_000, previewS: 3, issueS: 10, rssMb: 500 };
const MB = 1024 * 1024;
const log = (line: string) => console.log(line);

/** Phones, names, e-mails, balances, an expiry and a discount as a shop's export has them; every 500th row is broken. */
function generateCsv(rows: number, seed: number): Buffer {
  const lines = ["Телефон;ФИО;E-mail;Баллы;Срок действия;Скидка"];
  for (let i = 0; i < rows; i++) {
    const phone = `+79${String(seed * 10_000_000 + i).padStart(9, "0")}`;
    const balance = i % 500 === 499 ? "abc" : String((i * 37) % 5000);
    lines.push(`${phone};"Customer ${i}, Jr.";c${i}@example.com;${balance};31.12.2030;${i % 20}%`);
  }
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`);
}

/** Runs `work`, sampling RSS every 20 ms and the event loop's longest stall. */
async function measure<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakMb: number; stallMs: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  loop.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { result, seconds, peakMb: peak / MB, stallMs: loop.max / 1e6 };
}

const row = (name: string, rows: number, m: { seconds: number; peakMb: number; stallMs: number }) =>
  log(
    `  ${name.padEnd(44)} ${String(Math.round(rows / m.seconds)).padStart(9)} rows/s ${m.seconds.toFixed(2).padStart(7)} s   peak RSS ${m.peakMb.toFixed(0).padStart(4)} MB   longest stall ${m.stallMs.toFixed(0).padStart(4)} ms`,
  );

/** The anchor for the check: csv-parse alone over the same bytes, counting records. */
async function bareParse(bytes: Buffer): Promise<number> {
  let records = 0;
  const parser = createParser({ delimiter: ";", bom: true, on_record: () => void records++ });
  parser.resume();
  parser.end(bytes);
  await new Promise((resolve, reject) => parser.on("end", resolve).on("error", reject));
  return records - 1;
}

/** The anchor for the issue: N card rows (same columns and indexes as cards) in multi-row INSERTs of 1,000, nothing else. */
async function bareInsert(url: string, rows: number): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`create table if not exists bench_anchor (like cards including all)`;
    await client`truncate bench_anchor`;
    const [{ merchant_id, template_id }] = await client`select merchant_id, template_id from card_imports limit 1`;
    for (let at = 0; at < rows; at += 1000) {
      const values = Array.from({ length: Math.min(1000, rows - at) }, (_, k) => ({
        merchant_id,
        template_id,
        number: `A${String(at + k).padStart(10, "0")}`,
        serial_number: randomBytes(18).toString("base64url"),
        authentication_token: randomBytes(24).toString("base64url"),
        link_token: randomBytes(24).toString("base64url"),
        balance: (at + k) % 5000,
      }));
      await client`insert into bench_anchor ${client(values)}`;
    }
  } finally {
    await client.end();
  }
}

const bench = await benchDatabase("bench_csv", {});
const { dbUrl, dbName } = bench;
let failed = false;

try {
  await runMigrations();
  const db = getDb();
  const { merchant, actor } = await benchMerchant(db, "Bench Import");
  log(`database ${dbName}; Node ${process.version}; baseline RSS ${(process.memoryUsage.rss() / MB).toFixed(0)} MB`);

  for (const [index, rows] of SIZES.entries()) {
    const template = await createTemplate(db, actor, { name: `Bench import ${rows}`, kind: "loyalty" });
    const bytes = generateCsv(rows, index + 1);
    log(`\n${rows.toLocaleString("en")} rows, ${(bytes.byteLength / MB).toFixed(1)} MB (every 500th row has a bad balance)`);

    const anchorParse = await measure(() => bareParse(bytes));
    row("anchor: bare csv-parse, no validation", anchorParse.result, anchorParse);
    const check = await measure(() => previewUploadedImport(db, actor, { templateId: template.id, fileName: "bench.csv", bytes, skipExisting: true }));
    const job = await getCardImportOrThrow(db, merchant.id, check.result.importId);
    row("check: decode + parse + zod + store", rows, check);
    log(`    ${job.valid} valid, ${job.errorCount} with errors, ${job.skipped} already holding a card`);

    const anchorInsert = await measure(() => bareInsert(dbUrl, job.valid));
    row("anchor: bare multi-row INSERT of the cards", job.valid, anchorInsert);
    await db.update(cardImports).set({ status: "queued" }).where(eq(cardImports.id, job.id));
    const issue = await measure(() => runCardImport(db, job.id));
    row("issue: batch runner to completion", job.valid, issue);
    const done = await getCardImportOrThrow(db, merchant.id, job.id);
    const [{ count }] = rowsOf<{ count: number }>(await db.execute(sql`select count(*)::int as count from cards where template_id = ${template.id}::uuid`));
    log(`    status ${done.status}: ${done.issued} issued, ${done.skipped} skipped, ${done.errorCount} refused; ${count} cards in the table`);

    if (rows === TARGET.rows) {
      const checks = [
        [`check ${check.seconds.toFixed(2)} s < ${TARGET.previewS} s`, check.seconds < TARGET.previewS],
        [`issue ${issue.seconds.toFixed(2)} s < ${TARGET.issueS} s`, issue.seconds < TARGET.issueS],
        [`peak RSS ${Math.max(check.peakMb, issue.peakMb).toFixed(0)} MB < ${TARGET.rssMb} MB`, Math.max(check.peakMb, issue.peakMb) < TARGET.rssMb],
      ] as const;
      for (const [label, ok] of checks) log(`  target ${ok ? "met" : "MISSED"}: ${label}`);
      failed ||= checks.some(([, ok]) => !ok);
    }
    if (done.status !== "done" || done.issued !== job.valid || done.errorCount !== job.errorCount || count !== done.issued) {
      log("  MISMATCH: the import did not account for every valid row");
      failed = true;
    }
  }
  log(`\nprocess peak RSS (getrusage) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await stopBoss().catch(() => {});
  await closeDb().catch(() => {});
  await bench.drop(!!opts["keep-db"]);
}
process.exit(failed ? 1 : 0);
