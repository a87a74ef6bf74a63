import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";
import { cardImportRows, cardImports, type ImportRowError } from "@/db/schema";
import type { AuditActor } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { getMerchantOrThrow } from "@/lib/merchants";
import { getTemplateOrThrow } from "@/lib/templates";
import { stripControlChars } from "@/lib/validations/common";
import { createCardsCsvReader, type CsvMessage, type CsvValidRow } from "./csv";
import { customKeysOf } from "./issue";

export const MAX_STORED_ERRORS = 1000;
/** Valid rows are checked against existing cards and stored this many at a time: one statement each. */
const STAGE_BATCH = 2000;
/** A string source is read this many characters at a time, yielding to other requests in between. */
const TEXT_CHUNK = 64 * 1024;

/** A checked row as stored until it is issued; `held`: its phone already held a card of the template at check time. */
export type StoredRow = Omit<CsvValidRow, "expiresAt" | "line"> & { expiresAt?: string; held?: true };
export type PreviewOutcome = { ok: true; importId: string } | { ok: false; fileErrors: CsvMessage[] };
export type PreviewSource = string | Iterable<string> | AsyncIterable<string>;

class RefusedFile extends Error {
  constructor(readonly fileErrors: CsvMessage[]) {
    super("refused file");
  }
}

function* sliced(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += TEXT_CHUNK) yield text.slice(i, i + TEXT_CHUNK);
}

/** Lets the event loop serve others between chunks: no file, however large, holds the process for long. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Stores one batch of valid rows with one statement (the rows travel as one JSON parameter), after one
 * query for the phones among them that already hold a card of the template. Returns how many do.
 */
async function stageRows(
  tx: Db,
  target: { merchantId: string; templateId: string; importId: string; skipExisting: boolean },
  rows: CsvValidRow[],
): Promise<number> {
  let held = new Set<string>();
  if (target.skipExisting) {
    // Looked up phone by phone (customers by merchant and phone, then cards by customer), so the cost
    // follows the batch, not the merchant's or the template's size; see heldCustomerIds in ./issue for
    // why it is spelt so. Each `limit 1` keeps its lateral a per-phone probe: without it the planner
    // joins instead, walking every customer of the merchant per batch (165 ms instead of 2 ms at 60,000).
    const found = rowsOf<{ phone: string }>(
      await tx.execute(sql`
        select p.phone from unnest(${pgArray(rows.map((r) => r.phone))}::text[]) as p(phone)
        cross join lateral (select cu.id from customers cu where cu.merchant_id = ${target.merchantId}::uuid and cu.phone = p.phone limit 1) cu
        cross join lateral (select 1 from cards c where c.customer_id = cu.id and (c.merchant_id = ${target.merchantId}::uuid and c.template_id = ${target.templateId}::uuid) is true limit 1) held`),
    );
    held = new Set(found.map((f) => f.phone));
  }
  const payload = rows.map(({ line, expiresAt, ...rest }) => ({
    line,
    data: { ...rest, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}), ...(held.has(rest.phone) ? { held: true } : {}) } satisfies StoredRow,
  }));
  await tx.execute(sql`
    insert into card_import_rows (import_id, line, data)
    select ${target.importId}::uuid, (r->>'line')::int, r->'data' from jsonb_array_elements(${JSON.stringify(payload)}::jsonb) r`);
  return held.size ? payload.filter((p) => p.data.held).length : 0;
}

/**
 * Reads a CSV as it comes (chunk by chunk, yielding between them) and keeps what it found as an
 * import in `preview`: nothing is issued until the merchant has seen the valid rows, the per-line
 * errors and how many phones already hold a card, and confirms. The import and its rows are written
 * in one transaction, so a file refused as a whole (an unclosed quote at the end, too many rows)
 * leaves nothing behind; memory holds one chunk and one batch of rows, not the file's rows.
 */
export async function previewCardImport(
  db: Db,
  actor: AuditActor,
  input: {
    templateId: string;
    fileName: string;
    text: PreviewSource;
    skipExisting: boolean;
    /**
     * A gift certificates' phone list (lib/gift-certificates/phone-import): the import is bound to the
     * definition, `customKeys` are its extra columns, and `check` may refuse the checked file as a whole
     * inside the transaction (nothing is then written).
     */
    certificate?: { definitionId: string; contentHash: string; customKeys: string[]; check: (tx: Db, valid: number) => Promise<void> };
  },
): Promise<PreviewOutcome> {
  const { template, version } = await getTemplateOrThrow(db, actor.merchantId, input.templateId);
  if (template.archivedAt) throw new AppError("validation", "cards.errors.templateArchived", { templateId: "cards.errors.templateArchived" });
  const merchant = await getMerchantOrThrow(db, actor.merchantId);
  const chunks = typeof input.text === "string" ? sliced(input.text) : input.text;
  try {
    return await db.transaction(async (tx) => {
      const [job] = await tx
        .insert(cardImports)
        .values({
          merchantId: actor.merchantId,
          templateId: template.id,
          createdBy: actor.userId,
          fileName: stripControlChars(input.fileName).slice(0, 200),
          skipExisting: input.skipExisting,
          ...(input.certificate && { certificateDefinitionId: input.certificate.definitionId, contentHash: input.certificate.contentHash }),
        })
        .returning({ id: cardImports.id });
      const target = { merchantId: actor.merchantId, templateId: template.id, importId: job.id, skipExisting: input.skipExisting };
      const pending: CsvValidRow[] = [];
      const errors: ImportRowError[] = [];
      const reader = createCardsCsvReader({
        defaultCountry: merchant.country,
        customKeys: input.certificate?.customKeys ?? customKeysOf(version.definition),
        onRow: (row) => {
          if (row.marketingConsent) consenting++;
          pending.push(row);
        },
        onError: ({ line, column, message, params }) => {
          if (errors.length < MAX_STORED_ERRORS) errors.push({ line, column, message, params });
        },
      });
      // One batch is stored while the next chunk is read: the database and the parser work side by side.
      let held = 0;
      let consenting = 0;
      let storing: Promise<{ held: number } | { error: unknown }> | null = null;
      const settle = async () => {
        const stored = storing ? await storing : { held: 0 };
        storing = null;
        if ("error" in stored) throw stored.error;
        held += stored.held;
      };
      const store = async (rows: CsvValidRow[]) => {
        await settle();
        storing = stageRows(tx, target, rows).then(
          (n) => ({ held: n }),
          (error: unknown) => ({ error }),
        );
      };
      for await (const chunk of chunks) {
        reader.write(chunk);
        // Past the row limit the file is refused at the end: no point storing more of it.
        if (reader.overLimit()) pending.length = 0;
        while (pending.length >= STAGE_BATCH) await store(pending.splice(0, STAGE_BATCH));
        await yieldToEventLoop();
      }
      const summary = reader.end();
      if (pending.length && summary.ok) await store(pending.splice(0));
      await settle();
      if (!summary.ok) throw new RefusedFile(summary.fileErrors);
      await input.certificate?.check(tx, summary.valid);
      await tx
        .update(cardImports)
        .set({
          total: summary.total,
          valid: summary.valid,
          errorCount: summary.invalid,
          skipped: held,
          consenting,
          errors,
          warnings: summary.warnings.map((w) => JSON.stringify(w)),
        })
        .where(and(eq(cardImports.id, job.id), eq(cardImports.merchantId, actor.merchantId)));
      return { ok: true as const, importId: job.id };
    });
  } catch (err) {
    if (err instanceof RefusedFile) return { ok: false, fileErrors: err.fileErrors };
    throw err;
  }
}

export const IMPORT_ROWS_PAGE_SIZE = 50;

/** A page of an import's checked rows waiting to be issued, by line (the check page lists them). */
export async function listCardImportRows(db: Db, merchantId: string, importId: string, page = 1): Promise<{ line: number; data: StoredRow }[]> {
  const rows = await db
    .select({ line: cardImportRows.line, data: cardImportRows.data })
    .from(cardImportRows)
    .innerJoin(cardImports, and(eq(cardImports.id, cardImportRows.importId), eq(cardImports.merchantId, merchantId)))
    .where(eq(cardImportRows.importId, importId))
    .orderBy(asc(cardImportRows.line))
    .limit(IMPORT_ROWS_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * IMPORT_ROWS_PAGE_SIZE);
  return rows.map((r) => ({ line: r.line, data: r.data as StoredRow }));
}
