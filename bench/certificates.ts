// npm run bench:certificates [-- --codes 100000 --phones 100000 --keep-db]
// Gift certificates at scale against a fresh PostgreSQL database (DATABASE_URL names the server):
// 100,000 promo codes uploaded as a CSV into a definition's pool (parse, per-line duplicate checks
// in the file and against the merchant's codes, insert), then a phone list of 100,000 recipients
// checked (the card import's preview) and issued by the batch runner as the worker runs it: each phone
// bound to the next free code, a certificate (card) with its opening ledger entry and
// certificate.issued event, and its SMS queued in the outbox (sending is the worker's, not measured).
// Prints elapsed time and peak RSS, checks the targets (codes < 5 s; phones bound and issued < 15 s;
// peak RSS < 500 MB), then drops the database.
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { closeDb, getDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { cardImports } from "@/db/schema";
import { getCardImportOrThrow, runCardImport } from "@/lib/cards/import";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { previewPhoneImport } from "@/lib/gift-certificates/phone-import";
import { uploadCodes } from "@/lib/gift-certificates/pool";
import { stopBoss } from "@/lib/jobs/boss";
import { benchDatabase, benchMerchant } from "./lib/setup";

const { values: opts } = parseArgs({
  options: { codes: { type: "string", default: "100000" }, phones: { type: "string", default: "100000" }, "keep-db": { type: "boolean", default: false } },
});
const CODES = Number(opts.codes);
const PHONES = Number(opts.phones);
const TARGET = { codesS: 5, phonesS: 15, rssMb: 500 };
const MB = 1024 * 1024;
const log = (line: string) => console.log(line);

async function measure<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { result, seconds, peakMb: Math.max(peak, process.memoryUsage.rss()) / MB };
}

const bench = await benchDatabase("bench_certificates", {});
const { dbName } = bench;
let failed = false;

try {
  await runMigrations();
  const db = getDb();
  const { merchant, actor } = await benchMerchant(db, "Bench Certificates");
  const definition = await createDefinition(db, actor, {
    name: "Bench 1000",
    valueKind: "money",
    nominal: 100_000,
    presentation: { en: "Show it", ru: "Покажите" },
    terms: { en: "Terms", ru: "Условия" },
    validity: { mode: "days", days: 365 },
  });
  log(`database ${dbName}; Node ${process.version}; baseline RSS ${(process.memoryUsage.rss() / MB).toFixed(0)} MB`);

  const codesCsv = ["code", ...Array.from({ length: CODES }, (_, i) => `BENCH${String(i).padStart(8, "0")}`)].join("\n");
  const codes = await measure(() => uploadCodes(db, actor, definition.id, codesCsv));
  log(`codes: ${codes.result.imported.toLocaleString("en")} uploaded in ${codes.seconds.toFixed(2)} s, peak RSS ${codes.peakMb.toFixed(0)} MB`);

  const phonesCsv = Buffer.from(
    ["phone;name", ...Array.from({ length: PHONES }, (_, i) => `+79${String(100_000_000 + i).padStart(9, "0")};Recipient ${i}`)].join("\n"),
  );
  const phones = await measure(async () => {
    const t0 = performance.now();
    const { importId } = await previewPhoneImport(db, actor, { definitionId: definition.id, fileName: "phones.csv", bytes: phonesCsv });
    log(`  check (preview) ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    await db.update(cardImports).set({ status: "queued" }).where(eq(cardImports.id, importId));
    await runCardImport(db, importId);
    return getCardImportOrThrow(db, merchant.id, importId);
  });
  const [{ certificates, sms }] = rowsOf<{ certificates: number; sms: number }>(
    await db.execute(sql`select (select count(*)::int from certificate_codes where definition_id = ${definition.id}::uuid and status = 'issued') as certificates,
      (select count(*)::int from outbox_messages where merchant_id = ${merchant.id}::uuid and channel = 'sms') as sms`),
  );
  log(
    `phones: ${phones.result.issued.toLocaleString("en")} bound and issued in ${phones.seconds.toFixed(2)} s (check + issue), peak RSS ${phones.peakMb.toFixed(0)} MB; ${certificates} codes issued, ${sms} SMS queued`,
  );
  const peak = Math.max(codes.peakMb, phones.peakMb);
  const checks = [
    [`codes ${codes.seconds.toFixed(2)} s < ${TARGET.codesS} s`, codes.seconds < TARGET.codesS],
    [`phones ${phones.seconds.toFixed(2)} s < ${TARGET.phonesS} s`, phones.seconds < TARGET.phonesS],
    [`peak RSS ${peak.toFixed(0)} MB < ${TARGET.rssMb} MB`, peak < TARGET.rssMb],
    [`every phone issued once (${phones.result.issued} = ${PHONES} = ${certificates})`, phones.result.issued === PHONES && certificates === PHONES],
  ] as const;
  for (const [label, ok] of checks) log(`  target ${ok ? "met" : "MISSED"}: ${label}`);
  failed = checks.some(([, ok]) => !ok);
  log(`process peak RSS (getrusage) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await stopBoss().catch(() => {});
  await closeDb().catch(() => {});
  await bench.drop(!!opts["keep-db"]);
}
process.exitCode = failed ? 1 : 0;
