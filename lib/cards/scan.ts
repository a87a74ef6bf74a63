import "server-only";
import { and, eq, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { currentVersionOf } from "@/db/queries/templates";
import { reusable } from "@/db/reusable";
import { cards, cardTemplates, cardTemplateVersions, type Card } from "@/db/schema";
import type { TemplateDefinition } from "@/lib/templates/definition";
import { tillCode } from "@/lib/templates/till-code";

export { tillCode };

/** Longer than any number or serial we make: anything longer is not one of our codes. */
const MAX_SCAN = 200;

// Built once (db/reusable): a till scans on every receipt.
const byScan = reusable((db) =>
  db
    .select({ card: cards, definition: cardTemplateVersions.definition })
    .from(cards)
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, sql.placeholder("merchantId"))))
    .innerJoin(cardTemplateVersions, currentVersionOf(sql.placeholder("merchantId")))
    .where(
      and(eq(cards.merchantId, sql.placeholder("merchantId")), or(eq(cards.number, sql.placeholder("code")), eq(cards.serialNumber, sql.placeholder("code")))),
    )
    .limit(2),
);

/**
 * The merchant's card whose till code is the scanned text (the inverse of `tillCode`): the number when
 * its template's barcode carries the number, the serial number when it carries the serial. Scanners
 * add whitespace or a line break at the ends; those are trimmed. Another merchant's card is never
 * found, whatever it carries.
 */
export async function findCardByScan(db: Db, merchantId: string, scanned: string): Promise<{ card: Card; definition: TemplateDefinition } | null> {
  const code = scanned.trim();
  if (!code || code.length > MAX_SCAN) return null;
  const rows = await byScan(db, { merchantId, code });
  return rows.find((r) => tillCode(r.card, r.definition) === code) ?? null;
}
