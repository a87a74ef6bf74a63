import "server-only";
import { createHash } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { cardImports, certificateDefinitions, merchants } from "@/db/schema";
import type { AuditActor } from "@/lib/audit";
import type { EventContext } from "@/lib/card-events";
import { decodeCsv } from "@/lib/cards/import-upload";
import { previewCardImport } from "@/lib/cards/import";
import type { StoredRow } from "@/lib/cards/import-preview";
import { AppError } from "@/lib/errors";
import { currencyDigits } from "@/lib/format/money";
import { definitionStats, getDefinitionOrThrow } from "./definitions";
import { noFreeCodes } from "./issue";
import { issueCertificatesWithSms } from "./sms";

/** The phone list's own column beside phone, name and amount (`amount`/`сумма`, read as the card CSV's balance). */
export const MESSAGE_COLUMN = "message";
const CUSTOM_KEYS = [MESSAGE_COLUMN, "сообщение"];

export const contentHashOf = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** The same list for the same definition, already imported (or importing): refused, saying when. */
async function checkNotImported(db: Db, merchantId: string, definitionId: string, contentHash: string): Promise<void> {
  const [earlier] = await db
    .select({ createdAt: cardImports.createdAt })
    .from(cardImports)
    .where(
      and(
        eq(cardImports.merchantId, merchantId),
        eq(cardImports.certificateDefinitionId, definitionId),
        eq(cardImports.contentHash, contentHash),
        inArray(cardImports.status, ["queued", "running", "done"]),
      ),
    )
    .orderBy(desc(cardImports.createdAt))
    .limit(1);
  if (earlier)
    throw new AppError(
      "conflict",
      "giftCertificates.errors.alreadyImported",
      { file: "giftCertificates.errors.alreadyImported" },
      { date: earlier.createdAt.toISOString().slice(0, 16).replace("T", " ") + " UTC" },
    );
}

/** Free codes enough for every valid row, or the file is refused saying how many are missing. */
async function checkPool(tx: Db, merchantId: string, definitionId: string, valid: number): Promise<void> {
  const free = (await definitionStats(tx, merchantId, [definitionId])).get(definitionId)?.free ?? 0;
  if (free < valid) {
    const err = noFreeCodes(valid - free);
    throw new AppError("no_free_codes", err.message, { file: err.message }, err.params, err.data);
  }
}

/**
 * Checks an uploaded phone list for a definition and keeps it as an import in preview (the card
 * import's pages show it: per-line errors, confirm, progress). Refused as a whole, nothing written:
 * a list already imported for this definition, or more valid phones than free codes.
 */
export async function previewPhoneImport(
  db: Db,
  actor: AuditActor,
  input: { definitionId: string; fileName: string; bytes: Uint8Array },
): Promise<{ importId: string }> {
  const definition = await getDefinitionOrThrow(db, actor.merchantId, input.definitionId);
  if (definition.archivedAt) throw new AppError("validation", "giftCertificates.errors.archived", { file: "giftCertificates.errors.archived" });
  if (input.bytes.byteLength === 0) throw new AppError("validation", "validation.fileRequired", { file: "validation.fileRequired" });
  const contentHash = contentHashOf(input.bytes);
  await checkNotImported(db, actor.merchantId, definition.id, contentHash);
  const outcome = await previewCardImport(db, actor, {
    templateId: definition.templateId,
    fileName: input.fileName,
    text: decodeCsv(input.bytes),
    skipExisting: false,
    certificate: {
      definitionId: definition.id,
      contentHash,
      customKeys: CUSTOM_KEYS,
      check: (tx, valid) => checkPool(tx, actor.merchantId, definition.id, valid),
    },
  });
  if (!outcome.ok) {
    const first = outcome.fileErrors[0];
    throw new AppError("validation", first.message, { file: first.message }, first.params);
  }
  return { importId: outcome.importId };
}

/** Before the worker starts: still not imported by another preview of the same file, and still enough codes. */
export async function checkPhoneImportStart(tx: Db, merchantId: string, job: { certificateDefinitionId: string; contentHash: string | null; valid: number }) {
  if (job.contentHash) await checkNotImported(tx, merchantId, job.certificateDefinitionId, job.contentHash);
  await checkPool(tx, merchantId, job.certificateDefinitionId, job.valid);
}

/**
 * One batch of a phone list, in the import's transaction: a certificate per row (the next free codes),
 * then each recipient's SMS queued in the outbox with the certificate's link. Returns the outbox ids to
 * dispatch after commit.
 */
export async function issuePhoneBatch(tx: Db, ctx: EventContext, definitionId: string, rows: StoredRow[]): Promise<{ issued: number; outboxIds: string[] }> {
  const [definition] = await tx
    .select({ nominal: certificateDefinitions.nominal })
    .from(certificateDefinitions)
    .where(and(eq(certificateDefinitions.id, definitionId), eq(certificateDefinitions.merchantId, ctx.merchantId)));
  const [merchant] = await tx.select({ currency: merchants.currency }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  const digits = currencyDigits(merchant.currency);
  const { issued, outboxIds } = await issueCertificatesWithSms(
    tx,
    ctx,
    definitionId,
    rows.map((r) => ({
      phone: r.phone,
      name: r.name ?? null,
      amount: definition.nominal !== null && r.balance !== undefined && r.balance > 0 ? r.balance * 10 ** digits : null,
      message: r.custom?.[MESSAGE_COLUMN] ?? r.custom?.["сообщение"] ?? null,
    })),
    { sendSms: true },
  );
  return { issued: issued.length, outboxIds };
}
