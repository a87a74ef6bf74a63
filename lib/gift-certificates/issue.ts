import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";
import type { Card, CertificateDefinition } from "@/db/schema";
import { findTemplateWithCurrent } from "@/db/queries/templates";
import type { EventContext } from "@/lib/card-events";
import { issueCardsBatch } from "@/lib/cards/issue";
import { AppError, NotFoundError } from "@/lib/errors";
import { getMerchantOrThrow } from "@/lib/merchants";
import { getDefinitionOrThrow, openingValueOf, validityOf } from "./definitions";
import { refreshLowPool } from "./pool";

/** One recipient: phone in E.164, optional name, nominal override (money certificates) and the giver's message. */
export type RecipientRow = { phone: string; name?: string | null; amount?: number | null; message?: string | null };

export type IssuedCertificate = { index: number; card: Card; code: string };

export const noFreeCodes = (missing: number) => new AppError("no_free_codes", "giftCertificates.errors.noFreeCodes", undefined, { missing }, { missing });

/**
 * Issues one certificate per row in the caller's transaction: each row takes the next free code of
 * the definition (locked, skipping codes another issuer holds, so no code goes out twice) and becomes
 * a card of the definition's gift template whose number is that code, holding the nominal (or the
 * row's amount; a product: 1) from an opening ledger entry, valid as the definition says. Refused as
 * a whole, before anything is written, when the pool has fewer free codes than rows.
 */
export async function issueCertificates(tx: Db, ctx: EventContext, definitionId: string, rows: RecipientRow[]): Promise<IssuedCertificate[]> {
  if (!rows.length) return [];
  const definition = await getDefinitionOrThrow(tx, ctx.merchantId, definitionId);
  if (definition.archivedAt) throw new AppError("validation", "giftCertificates.errors.archived", { definitionId: "giftCertificates.errors.archived" });
  if (definition.nominal === null && rows.some((r) => r.amount != null))
    throw new AppError("validation", "giftCertificates.errors.amountOnProduct", { amount: "giftCertificates.errors.amountOnProduct" });
  const codes = rowsOf<{ id: string; code: string }>(
    await tx.execute(sql`
      select id, code from certificate_codes
      where merchant_id = ${ctx.merchantId}::uuid and definition_id = ${definition.id}::uuid and status = 'free'
      order by created_at, id
      limit ${rows.length}
      for update skip locked`),
  );
  if (codes.length < rows.length) throw noFreeCodes(rows.length - codes.length);
  const found = await findTemplateWithCurrent(tx, ctx.merchantId, definition.templateId);
  if (!found) throw new NotFoundError();
  const merchant = await getMerchantOrThrow(tx, ctx.merchantId);
  const expiresAt = validityOf(definition);
  const values = rows.map((r) => openingValueOf(definition, r.amount ?? undefined));
  const result = await issueCardsBatch(
    tx,
    ctx.merchantId,
    { template: found.template, definition: found.version.definition },
    rows.map((r, i) => ({ customer: { phone: r.phone, name: r.name ?? undefined }, number: codes[i].code, balance: values[i], expiresAt })),
    ctx.actor,
    {
      issuedEvent: (card, i) => ({
        type: "certificate.issued",
        cardId: card.id,
        data: eventData(definition, card, codes[i].code, merchant.currency),
      }),
    },
  );
  // A code the merchant's other cards already use as a number: the whole batch is refused, and says which.
  if (result.refused.length) {
    const first = result.refused[0];
    throw new AppError("conflict", "giftCertificates.errors.codeUsedByCard", undefined, { code: codes[first.index].code });
  }
  const bound = result.issued.map(({ index, card }) => ({ id: codes[index].id, card_id: card.id, message: rows[index].message ?? null }));
  await tx.execute(sql`
    update certificate_codes cc set status = 'issued', card_id = r.card_id, message = r.message, issued_at = now()
    from jsonb_to_recordset(${JSON.stringify(bound)}::jsonb) as r(id uuid, card_id uuid, message text)
    where cc.id = r.id and cc.merchant_id = ${ctx.merchantId}::uuid`);
  // The pool just shrank: the merchant hears once when it falls below their threshold.
  if (definition.lowPoolThreshold > 0) await refreshLowPool(tx, ctx.merchantId, definition.id);
  return result.issued.map(({ index, card }) => ({ index, card, code: codes[index].code }));
}

function eventData(definition: CertificateDefinition, card: Card, code: string, currency: string) {
  return {
    certificateId: card.id,
    ...(definition.kind === "coupon" && { kind: "coupon" }),
    definitionId: definition.id,
    templateId: card.templateId,
    number: code,
    ...(definition.nominal === null ? { product: true, units: card.balance } : { amount: card.balance, currency }),
    expiresAt: card.expiresAt?.toISOString() ?? null,
  };
}

/** Which of these cards are certificates: their codes (by card id). */
export async function certificateIdsOf(db: Db, merchantId: string, cardIds: string[]): Promise<Set<string>> {
  if (!cardIds.length) return new Set();
  const rows = rowsOf<{ card_id: string }>(
    await db.execute(sql`select card_id from certificate_codes where merchant_id = ${merchantId}::uuid and card_id = any(${pgArray(cardIds)}::uuid[])`),
  );
  return new Set(rows.map((r) => r.card_id));
}
