import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";
import { certificateDefinitions, type CertificateDefinition } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { CODE_CSV_MAX_BYTES } from "@/lib/files/limits";
import { createNotification } from "@/lib/notifications";
import { codeSpace, createCodeCsvReader, generateCodes, type CodeLine } from "./codes";
import { definitionStats, getDefinitionOrThrow } from "./definitions";

/** The largest code file taken (bytes) and lines: an upload never holds the server long. */
export const CODE_FILE_MAX_BYTES = CODE_CSV_MAX_BYTES;
export const CODE_FILE_MAX_LINES = 500_000;
const CHUNK = 10_000;

/** Which of these codes the merchant already has in any definition's pool. */
async function takenCodes(db: Db, merchantId: string, codes: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < codes.length; i += CHUNK) {
    const rows = rowsOf<{ code: string }>(
      await db.execute(
        sql`select code from certificate_codes where merchant_id = ${merchantId}::uuid and code = any(${pgArray(codes.slice(i, i + CHUNK))}::text[])`,
      ),
    );
    for (const r of rows) taken.add(r.code);
  }
  return taken;
}

/** Inserts free codes into a definition's pool, skipping any the merchant already has; returns how many went in. */
async function insertCodes(tx: Db, merchantId: string, definitionId: string, codes: string[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < codes.length; i += CHUNK) {
    const rows = rowsOf<{ n: number }>(
      await tx.execute(sql`
        with ins as (
          insert into certificate_codes (merchant_id, definition_id, code)
          select ${merchantId}::uuid, ${definitionId}::uuid, c from unnest(${pgArray(codes.slice(i, i + CHUNK))}::text[]) as u(c)
          on conflict (merchant_id, code) do nothing
          returning 1)
        select count(*)::int as n from ins`),
    );
    inserted += rows[0]?.n ?? 0;
  }
  return inserted;
}

export type CodeUploadResult = { imported: number; lines: number; problems: CodeLine[]; problemCount: number; written: boolean };
/** The text of an upload: whole, or decoded a slice at a time as it is read (lib/cards/import-upload's decodeCsv). */
export type CodeSource = string | Iterable<string> | AsyncIterable<string>;

/** Lines with a problem kept to show (the first ones, in line order); all are counted. */
export const MAX_SHOWN_PROBLEMS = 1000;
const TEXT_CHUNK = 64 * 1024;

function* sliced(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += TEXT_CHUNK) yield text.slice(i, i + TEXT_CHUNK);
}

/** Lets the event loop serve others between chunks: no file, however large, holds the process for long. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const fileError = (message: string, params?: Record<string, string | number>) => new AppError("validation", message, { file: message }, params);

/**
 * A CSV of promo codes for a definition's pool, read as it comes (a chunk at a time, yielding between
 * chunks, as the card import does: an 8 MB file never holds the server). Every line is checked
 * first: unreadable, a duplicate of an earlier line, or a code the merchant already has (in this or
 * another definition). With any problem nothing is written, unless `importGood` (then the good lines
 * are). Lines that a racing upload took meanwhile roll the whole file back the same way. Too large,
 * too many lines, empty or not CSV at all: refused as a whole (a field error on `file`).
 */
export async function uploadCodes(
  db: Db,
  actor: AuditActor,
  definitionId: string,
  source: CodeSource,
  opts: { importGood?: boolean } = {},
): Promise<CodeUploadResult> {
  const definition = await getDefinitionOrThrow(db, actor.merchantId, definitionId);
  const problems: CodeLine[] = [];
  let problemCount = 0;
  const note = (p: CodeLine) => {
    problemCount += 1;
    if (problems.length < MAX_SHOWN_PROBLEMS) problems.push(p);
  };
  const good: string[] = [];
  const goodLines: number[] = [];
  const reader = createCodeCsvReader({
    onGood: (code, line) => {
      good.push(code);
      goodLines.push(line);
    },
    onProblem: note,
  });
  let size = 0;
  for await (const chunk of typeof source === "string" ? sliced(source) : source) {
    // Characters are never more than the bytes they were decoded from: past the limit in characters, the file was too.
    size += chunk.length;
    if (size > CODE_FILE_MAX_BYTES) throw fileError("giftCertificates.errors.fileTooLarge");
    reader.write(chunk);
    if (reader.lines() > CODE_FILE_MAX_LINES) throw fileError("giftCertificates.errors.tooManyLines", { max: CODE_FILE_MAX_LINES });
    await yieldToEventLoop();
  }
  const read = reader.end();
  if (!read.readable) throw fileError("giftCertificates.errors.csv");
  if (read.lines > CODE_FILE_MAX_LINES) throw fileError("giftCertificates.errors.tooManyLines", { max: CODE_FILE_MAX_LINES });
  if (!read.lines) throw fileError("giftCertificates.errors.fileEmpty");
  const taken = await takenCodes(db, actor.merchantId, good);
  let keep = good;
  if (taken.size) {
    keep = [];
    const takenProblems: CodeLine[] = [];
    good.forEach((code, i) => {
      if (taken.has(code)) takenProblems.push({ line: goodLines[i], code, problem: "giftCertificates.errors.codeTaken" });
      else keep.push(code);
    });
    // Shown in line order with the file's own problems.
    const all = [...problems, ...takenProblems].sort((a, b) => a.line - b.line).slice(0, MAX_SHOWN_PROBLEMS);
    problems.length = 0;
    problems.push(...all);
    problemCount += takenProblems.length;
  }
  if (problemCount && !opts.importGood) return { imported: 0, lines: read.lines, problems, problemCount, written: false };
  const imported = await db.transaction(async (tx) => {
    const n = await insertCodes(tx, actor.merchantId, definition.id, keep);
    if (n !== keep.length && !opts.importGood) throw new AppError("conflict", "giftCertificates.errors.codesRaced");
    await recordAudit(tx, actor, { action: "certificateCodes.upload", entityType: "certificateDefinition", entityId: definition.id, after: { imported: n } });
    return n;
  });
  await refreshLowPool(db, actor.merchantId, definition.id);
  return { imported, lines: read.lines, problems, problemCount, written: true };
}

/**
 * N new codes for a definition's pool, each unique among the merchant's codes (drawn again on any
 * collision). Refused when the alphabet at this length has too little room for them (a space at
 * least 1,000 times the merchant's codes, so collisions stay rare).
 */
export async function generatePoolCodes(db: Db, actor: AuditActor, definitionId: string, input: { count: number; length: number }): Promise<number> {
  const definition = await getDefinitionOrThrow(db, actor.merchantId, definitionId);
  if (codeSpace(input.length) < input.count * 1000)
    throw new AppError("validation", "giftCertificates.errors.length", { length: "giftCertificates.errors.length" });
  const done = await db.transaction(async (tx) => {
    let made = 0;
    for (let round = 0; round < 10 && made < input.count; round++) {
      made += await insertCodes(tx, actor.merchantId, definition.id, generateCodes(input.count - made, input.length));
    }
    if (made < input.count) throw new AppError("conflict", "giftCertificates.errors.codesRaced");
    await recordAudit(tx, actor, {
      action: "certificateCodes.generate",
      entityType: "certificateDefinition",
      entityId: definition.id,
      after: { count: made, length: input.length },
    });
    return made;
  });
  await refreshLowPool(db, actor.merchantId, definition.id);
  return done;
}

/**
 * The low-pool notification: once when free codes fall below the merchant's threshold; armed again
 * when the pool is refilled above it.
 */
export async function refreshLowPool(db: Db, merchantId: string, definitionId: string): Promise<void> {
  const [definition] = await db
    .select()
    .from(certificateDefinitions)
    .where(and(eq(certificateDefinitions.id, definitionId), eq(certificateDefinitions.merchantId, merchantId)));
  if (!definition || definition.lowPoolThreshold <= 0) return;
  const free = (await definitionStats(db, merchantId, [definitionId])).get(definitionId)?.free ?? 0;
  await notifyIfLow(db, definition, free);
}

async function notifyIfLow(db: Db, definition: CertificateDefinition, free: number): Promise<void> {
  const low = free < definition.lowPoolThreshold;
  if (low && !definition.lowPoolNotifiedAt) {
    const [claimed] = await db
      .update(certificateDefinitions)
      .set({ lowPoolNotifiedAt: new Date() })
      .where(
        and(
          eq(certificateDefinitions.id, definition.id),
          eq(certificateDefinitions.merchantId, definition.merchantId),
          sql`${certificateDefinitions.lowPoolNotifiedAt} is null`,
        ),
      )
      .returning({ id: certificateDefinitions.id });
    if (claimed) await createNotification(db, definition.merchantId, { kind: "certificateLowPool", level: "warning", params: { name: definition.name, free } });
  } else if (!low && definition.lowPoolNotifiedAt) {
    await db
      .update(certificateDefinitions)
      .set({ lowPoolNotifiedAt: null })
      .where(and(eq(certificateDefinitions.id, definition.id), eq(certificateDefinitions.merchantId, definition.merchantId)));
  }
}
