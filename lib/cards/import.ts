import "server-only";
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cardImportRows, cardImports, type CardImport, type ImportRowError } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { STALLED_AFTER_MS, boundBatchTransaction, runBatches } from "@/lib/jobs/batch";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { getTemplateOrThrow } from "@/lib/templates";
import { isUuid } from "@/lib/validations/common";
import { pgArray } from "@/db/rows";
import type { StoredRow } from "./import-preview";
import { issueCardsBatch, type IssueRow } from "./issue";
import type { CardActor } from "./actor";
import { checkPhoneImportStart, issuePhoneBatch } from "@/lib/gift-certificates/phone-import";
import { dispatchOutboxMany } from "@/lib/outbox";
import { applyImportedConsent } from "@/lib/push-events/consent";

export const IMPORT_BATCH = 2000;
export { IMPORT_ROWS_PAGE_SIZE, MAX_STORED_ERRORS, listCardImportRows, previewCardImport, type PreviewOutcome } from "./import-preview";

export async function getCardImportOrThrow(db: Db, merchantId: string, id: string): Promise<CardImport> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(cardImports)
        .where(and(eq(cardImports.id, id), eq(cardImports.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

export async function listCardImports(db: Db, merchantId: string, limit = 10): Promise<CardImport[]> {
  return db.select().from(cardImports).where(eq(cardImports.merchantId, merchantId)).orderBy(desc(cardImports.createdAt)).limit(limit);
}

/** The merchant confirms a previewed import: the worker issues it. A second click finds it already queued. */
export async function startCardImport(db: Db, actor: AuditActor, id: string): Promise<CardImport> {
  const started = await db.transaction(async (tx) => {
    const current = await getCardImportOrThrow(tx, actor.merchantId, id);
    if (current.status !== "preview") throw new AppError("conflict", "cards.import.errors.notPreview");
    if (!current.valid) throw new AppError("validation", "cards.import.errors.nothingValid");
    // A gift certificates' phone list: still not imported meanwhile, and still enough free codes.
    if (current.certificateDefinitionId)
      await checkPhoneImportStart(tx, actor.merchantId, {
        certificateDefinitionId: current.certificateDefinitionId,
        contentHash: current.contentHash,
        valid: current.valid,
      });
    const [row] = await tx
      .update(cardImports)
      .set({ status: "queued", updatedAt: sql`now()` })
      .where(and(eq(cardImports.id, id), eq(cardImports.merchantId, actor.merchantId), eq(cardImports.status, "preview")))
      .returning();
    if (!row) throw new AppError("conflict", "cards.import.errors.notPreview");
    await recordAudit(tx, actor, {
      action: "card.import",
      entityType: "cardImport",
      entityId: id,
      after: { fileName: row.fileName, valid: row.valid, templateId: row.templateId },
    });
    return row;
  });
  await enqueueCardImportBatch(id);
  return started;
}

/** Cancels an import that has not finished; rows already issued stay issued. */
export async function cancelCardImport(db: Db, actor: AuditActor, id: string): Promise<void> {
  const [row] = await db
    .update(cardImports)
    .set({ status: "cancelled", finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(cardImports.id, id), eq(cardImports.merchantId, actor.merchantId), sql`${cardImports.status} in ('preview', 'queued', 'running')`))
    .returning();
  if (!row) throw new AppError("conflict", "cards.import.errors.finished");
  await db.delete(cardImportRows).where(eq(cardImportRows.importId, id));
}

const toIssueRow = (data: StoredRow): IssueRow => ({
  customer: { phone: data.phone, email: data.email ?? null, name: data.name ?? null, birthday: data.birthday ?? null },
  balance: data.balance,
  discount: data.discount,
  custom: data.custom,
  expiresAt: data.expiresAt ? new Date(data.expiresAt) : undefined,
  number: data.number ?? null,
});

export type ImportBatch = { more: boolean; issued: number; skipped: number; refused: number; outboxIds?: string[] };

/** How many batches of a phone list run at once: PostgreSQL does the work, and one lane leaves a core idle. */
export const PHONE_LIST_LANES = 2;

/**
 * One batch of a phone list, safe beside another lane of the same list: the waiting rows are claimed
 * with `skip locked` (so two lanes never take the same rows, and a crashed lane's rows wait for the
 * retry), removed by their own lines, and the import's counters are added to at the end (the row is
 * not held for the batch). Codes are claimed the same way (lib/gift-certificates/issue). The import
 * is done when a lane finds no row left at all; a cancelled one is never set going again.
 */
async function phoneListBatch(tx: Db, job: CardImport, size: number): Promise<ImportBatch> {
  const merchantId = job.merchantId;
  const live = and(eq(cardImports.id, job.id), eq(cardImports.merchantId, merchantId), inArray(cardImports.status, ["queued", "running"]));
  const rows = await tx
    .select()
    .from(cardImportRows)
    .where(eq(cardImportRows.importId, job.id))
    .orderBy(asc(cardImportRows.line))
    .limit(size)
    .for("update", { skipLocked: true });
  if (!rows.length) {
    await tx
      .update(cardImports)
      .set({ status: "done", finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(live, sql`not exists (select 1 from ${cardImportRows} r where r.import_id = ${job.id}::uuid)`));
    return { more: false, issued: 0, skipped: 0, refused: 0 };
  }
  const actor: CardActor = job.createdBy ? { type: "staff", userId: job.createdBy } : { type: "system" };
  const done = await issuePhoneBatch(
    tx,
    { merchantId, actor },
    job.certificateDefinitionId!,
    rows.map((r) => r.data as StoredRow),
  );
  await tx
    .delete(cardImportRows)
    .where(and(eq(cardImportRows.importId, job.id), sql`${cardImportRows.line} = any(${pgArray(rows.map((r) => String(r.line)))}::int[])`));
  await tx
    .update(cardImports)
    .set({
      status: "running",
      processed: sql`${cardImports.processed} + ${rows.length}`,
      issued: sql`${cardImports.issued} + ${done.issued}`,
      updatedAt: sql`now()`,
    })
    .where(live);
  // The next call finds out whether anything is left, and finishes the import if nothing is.
  return { more: true, issued: done.issued, skipped: 0, refused: 0, outboxIds: done.outboxIds };
}

/**
 * One batch of the worker's part: issues the next waiting rows. The batch, its progress counters and
 * the removal of its rows (the waiting rows are the checkpoint) commit together, so a batch cut short
 * by a crash leaves nothing behind and its retry issues the same rows once. A card import's batch
 * holds the import's row lock (a second job waits for it); a phone list's claims its rows instead and
 * runs in lanes (phoneListBatch). A cancelled import stops. `more` says another batch may follow.
 */
export async function runCardImportBatch(db: Db, importId: string, size = IMPORT_BATCH, lanes = 1): Promise<ImportBatch> {
  const batch = await db.transaction(async (tx): Promise<ImportBatch> => {
    await boundBatchTransaction(tx);
    // Lanes (a phone list, see lanesOf) do not hold the import's row; one lane at a time does.
    const live = tx
      .select()
      .from(cardImports)
      .where(and(eq(cardImports.id, importId), inArray(cardImports.status, ["queued", "running"])));
    const [job] = lanes > 1 ? await live : await live.for("update");
    if (!job) return { more: false, issued: 0, skipped: 0, refused: 0 };
    if (job.certificateDefinitionId) return phoneListBatch(tx, job, size);
    const merchantId = job.merchantId;
    const rows = await tx.select().from(cardImportRows).where(eq(cardImportRows.importId, importId)).orderBy(asc(cardImportRows.line)).limit(size);
    const where = and(eq(cardImports.id, importId), eq(cardImports.merchantId, merchantId));
    if (!rows.length) {
      await tx
        .update(cardImports)
        .set({ status: "done", finishedAt: sql`now()`, updatedAt: sql`now()` })
        .where(where);
      return { more: false, issued: 0, skipped: 0, refused: 0 };
    }
    const actor: CardActor = job.createdBy ? { type: "staff", userId: job.createdBy } : { type: "system" };
    const { template, version } = await getTemplateOrThrow(tx, merchantId, job.templateId);
    const result = await issueCardsBatch(
      tx,
      merchantId,
      { template, definition: version.definition },
      rows.map((r) => toIssueRow(r.data as StoredRow)),
      actor,
      {
        skipExisting: job.skipExisting,
        source: "import",
      },
    );
    // A row whose phone held a card at check time was counted as skipped then: count only the surprises.
    const held = (i: number) => (rows[i].data as StoredRow).held === true;
    const skipped = result.skipped.filter((i) => !held(i)).length - result.issued.filter(({ index }) => held(index)).length;
    const refused: ImportRowError[] = result.refused.map((r) => ({
      line: rows[r.index].line,
      column: r.message.includes("number") ? "number" : null,
      message: r.message,
      params: r.params,
    }));
    // The consent column speaks for the customer whether or not a card was issued to them now.
    await applyImportedConsent(
      tx,
      merchantId,
      rows.map((r) => r.data as StoredRow),
    );
    const lastLine = rows[rows.length - 1].line;
    await tx.delete(cardImportRows).where(and(eq(cardImportRows.importId, importId), sql`${cardImportRows.line} <= ${lastLine}`));
    const more = rows.length === size;
    await tx
      .update(cardImports)
      .set({
        status: more ? "running" : "done",
        ...(more ? {} : { finishedAt: sql`now()` }),
        processed: sql`${cardImports.processed} + ${rows.length}`,
        issued: sql`${cardImports.issued} + ${result.issued.length}`,
        skipped: sql`${cardImports.skipped} + ${skipped}`,
        errorCount: sql`${cardImports.errorCount} + ${refused.length}`,
        errors: refused.length ? sql`(${cardImports.errors} || ${JSON.stringify(refused)}::jsonb)` : cardImports.errors,
        updatedAt: sql`now()`,
      })
      .where(where);
    return { more, issued: result.issued.length, skipped: result.skipped.length, refused: refused.length };
  });
  // A phone list's SMS go out once the batch that queued them has committed.
  if (batch.outboxIds?.length) await dispatchOutboxMany(batch.outboxIds);
  return batch;
}

/** Queues the import's next batch; `short` keeps at most one waiting per import, so extra calls collapse. */
export async function enqueueCardImportBatch(importId: string): Promise<void> {
  await enqueue(QUEUES.cardImport, { importId }, { singletonKey: importId });
}

/** How many lanes an import's batches run in: a phone list's can run side by side (phoneListBatch), a card import's one at a time. */
async function lanesOf(db: Db, importId: string): Promise<number> {
  const [job] = await db.select({ definitionId: cardImports.certificateDefinitionId }).from(cardImports).where(eq(cardImports.id, importId));
  return job?.definitionId ? PHONE_LIST_LANES : 1;
}

/** One job: batches until done or out of time, in each lane, then the rest as the next job (see runBatches). */
export async function runCardImportJob(db: Db, importId: string): Promise<{ batches: number }> {
  const lanes = await lanesOf(db, importId);
  const runs = await Promise.all(
    Array.from({ length: lanes }, () =>
      runBatches(
        () => runCardImportBatch(db, importId, IMPORT_BATCH, lanes),
        () => enqueueCardImportBatch(importId),
      ),
    ),
  );
  return { batches: runs.reduce((a, b) => a + b, 0) };
}

/** Every batch in this process, with no time budget (tests; the worker goes through runCardImportJob). Returns the totals. */
export async function runCardImport(db: Db, importId: string, size = IMPORT_BATCH): Promise<{ issued: number; skipped: number; refused: number }> {
  const totals = { issued: 0, skipped: 0, refused: 0 };
  const lanes = await lanesOf(db, importId);
  const lane = async () => {
    for (;;) {
      const { more, issued, skipped, refused } = await runCardImportBatch(db, importId, size, lanes);
      totals.issued += issued;
      totals.skipped += skipped;
      totals.refused += refused;
      if (!more) return;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return totals;
}

/** The sweep's part: imports with no committed batch for STALLED_AFTER_MS get their next batch queued again. */
export async function resumeStalledCardImports(db: Db): Promise<number> {
  const stalled = await db
    .select({ id: cardImports.id })
    .from(cardImports)
    .where(and(inArray(cardImports.status, ["queued", "running"]), lt(cardImports.updatedAt, new Date(Date.now() - STALLED_AFTER_MS))))
    .limit(500);
  for (const { id } of stalled) await enqueueCardImportBatch(id);
  return stalled.length;
}

/** A run that failed for good: the import says so instead of spinning forever. */
export async function failCardImport(db: Db, importId: string, reason: string): Promise<void> {
  await db
    .update(cardImports)
    .set({ status: "failed", failure: reason.slice(0, 500), finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(cardImports.id, importId), sql`${cardImports.status} in ('queued', 'running')`));
}
