import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { currentVersionOf } from "@/db/queries/templates";
import { cardStockRanges, cardTemplates, cardTemplateVersions, type CardStockRange } from "@/db/schema";
import { luhnCheckDigit } from "@/lib/cards/numbers";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";
import type { CardStockInput } from "@/lib/validations/till";

/** A range holds at most this many numbers: a print run, not the whole number space. */
export const STOCK_RANGE_MAX = 100_000;

/**
 * The printed number of `n` in a range: prefix, `digits` digits, then (ranges made since check digits)
 * a Luhn digit over the digits before it, as a template's own numbers carry one (lib/cards/numbers).
 */
export function stockNumber(range: Pick<CardStockRange, "prefix" | "digits" | "checkDigit">, n: number): string {
  const body = `${range.prefix}${String(n).padStart(range.digits, "0")}`;
  return range.checkDigit ? body + luhnCheckDigit(body) : body;
}

/** The merchant's card stock, newest first, with its template's name. */
export async function listStock(db: Db, merchantId: string) {
  return db
    .select({ range: cardStockRanges, templateName: cardTemplates.name })
    .from(cardStockRanges)
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, cardStockRanges.templateId), eq(cardTemplates.merchantId, merchantId)))
    .where(eq(cardStockRanges.merchantId, merchantId))
    .orderBy(asc(cardStockRanges.prefix), asc(cardStockRanges.fromNumber));
}

/**
 * A range of pre-printed numbers on a template (prefix + from–to, or + a count from `from`), with a
 * starting balance and discount. Its cards exist once a till activates their numbers. Two ranges of
 * one prefix and width may not overlap. The numbers end in a Luhn check digit when the template's
 * numbering has one (an EAN-13 template's numbers follow EAN's own digit, so its ranges take none).
 */
export async function createStockRange(db: Db, actor: AuditActor, input: CardStockInput): Promise<CardStockRange> {
  const to = input.to ?? input.from + (input.count ?? 1) - 1;
  if (to < input.from) throw new AppError("validation", "till.errors.rangeOrder", { to: "till.errors.rangeOrder" });
  if (to - input.from + 1 > STOCK_RANGE_MAX)
    throw new AppError("validation", "till.errors.rangeTooLarge", { to: "till.errors.rangeTooLarge" }, { max: STOCK_RANGE_MAX });
  const digits = Math.max(input.digits, String(to).length);
  const [template] = await db
    .select({ id: cardTemplates.id, definition: cardTemplateVersions.definition })
    .from(cardTemplates)
    .innerJoin(cardTemplateVersions, currentVersionOf(actor.merchantId))
    .where(and(eq(cardTemplates.id, input.templateId), eq(cardTemplates.merchantId, actor.merchantId)));
  if (!template) throw new AppError("validation", "cards.errors.template", { templateId: "cards.errors.template" });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`stock:${actor.merchantId}`}))`);
    const [overlap] = await tx
      .select({ id: cardStockRanges.id })
      .from(cardStockRanges)
      .where(
        and(
          eq(cardStockRanges.merchantId, actor.merchantId),
          eq(cardStockRanges.prefix, input.prefix),
          eq(cardStockRanges.digits, digits),
          sql`${cardStockRanges.fromNumber} <= ${to} and ${cardStockRanges.toNumber} >= ${input.from}`,
        ),
      )
      .limit(1);
    if (overlap) throw new AppError("validation", "till.errors.rangeOverlap", { from: "till.errors.rangeOverlap" });
    const [row] = await tx
      .insert(cardStockRanges)
      .values({
        merchantId: actor.merchantId,
        templateId: input.templateId,
        prefix: input.prefix,
        fromNumber: input.from,
        toNumber: to,
        digits,
        checkDigit: template.definition.numbering.checkDigit && template.definition.barcode.format !== "ean13",
        balance: input.balance,
        discount: input.discount,
      })
      .returning();
    await recordAudit(tx, actor, { action: "cardStock.create", entityType: "cardStock", entityId: row.id, after: row });
    return row;
  });
}

export async function deleteStockRange(db: Db, actor: AuditActor, id: string): Promise<void> {
  if (!isUuid(id)) throw new NotFoundError();
  const [row] = await db
    .delete(cardStockRanges)
    .where(and(eq(cardStockRanges.id, id), eq(cardStockRanges.merchantId, actor.merchantId)))
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, { action: "cardStock.delete", entityType: "cardStock", entityId: id, before: row });
}

/**
 * The range a typed number belongs to (its prefix, then exactly `digits` digits within from–to, then
 * its check digit if the range has them), or null. A number of a checked range whose digit is wrong
 * is refused as mistyped (422 `number_mistyped`), not unknown: one wrong or swapped digit is what
 * Luhn catches, and the cashier should look again rather than think the card is not theirs. Ranges
 * made before check digits (`checkDigit` false) are matched exactly as before.
 */
export async function findStockRange(db: Db, merchantId: string, number: string): Promise<CardStockRange | null> {
  const candidates = await db
    .select()
    .from(cardStockRanges)
    .where(
      and(
        eq(cardStockRanges.merchantId, merchantId),
        sql`starts_with(${number}, ${cardStockRanges.prefix})`,
        sql`length(${number}) = length(${cardStockRanges.prefix}) + ${cardStockRanges.digits} + (case when ${cardStockRanges.checkDigit} then 1 else 0 end)`,
      ),
    );
  let mistyped = false;
  for (const range of candidates) {
    const rest = number.slice(range.prefix.length, range.checkDigit ? -1 : undefined);
    if (!/^\d+$/.test(rest)) continue;
    const n = Number(rest);
    if (n < range.fromNumber || n > range.toNumber) continue;
    if (!range.checkDigit || stockNumber(range, n) === number) return range;
    mistyped = true;
  }
  if (mistyped) throw new AppError("number_mistyped", "till.errors.numberMistyped", { number: "till.errors.numberMistyped" });
  return null;
}
