import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { AppError } from "@/lib/errors";
import { insufficientBalance } from "@/lib/ledger/rules";

/** What the ledger asks of a gift certificate's definition when money moves on it. */
export type CertificateRule = {
  definitionId: string;
  code: string;
  partialRedemption: boolean;
  product: boolean;
  /** A promo-code coupon: one use, `points: 1`; used again, 409 `coupon_used`. */
  coupon: boolean;
  locationIds: string[];
};

export async function certificateRuleOf(tx: Db, merchantId: string, cardId: string): Promise<CertificateRule | null> {
  const [row] = rowsOf<{ definition_id: string; code: string; partial_redemption: boolean; nominal: number | null; kind: string; location_ids: string[] }>(
    await tx.execute(sql`
      select cc.definition_id, cc.code, d.partial_redemption, d.nominal, d.kind, to_jsonb(d.location_ids) as location_ids
      from certificate_codes cc join certificate_definitions d on d.id = cc.definition_id and d.merchant_id = ${merchantId}::uuid
      where cc.card_id = ${cardId}::uuid and cc.merchant_id = ${merchantId}::uuid`),
  );
  return row
    ? {
        definitionId: row.definition_id,
        code: row.code,
        partialRedemption: row.partial_redemption,
        product: row.nominal === null,
        coupon: row.kind === "coupon",
        locationIds: row.location_ids ?? [],
      }
    : null;
}

/**
 * A certificate is taken only at the definition's points of sale (none listed: everywhere). Where the
 * redemption happens is the till's own point of sale, and the request's `locationId` when it names one
 * (the ledger checks both); a till with neither (a key with no till, the cabinet with no till chosen) is
 * the merchant's own, and not held to it.
 */
export function checkCertificatePlace(rule: CertificateRule | null, locationId: string | null): void {
  if (!rule || !rule.locationIds.length || !locationId || rule.locationIds.includes(locationId)) return;
  throw new AppError("location_not_accepted", "giftCertificates.errors.locationNotAccepted", undefined, undefined, {
    locationId,
    accepted: rule.locationIds,
  });
}

/**
 * A certificate redeems within its balance; without partial redemption only all of it at once, and a
 * product certificate (one unit) only whole, as `points: 1`.
 */
export function checkCertificateRedeem(rule: CertificateRule | null, balance: number, points: number): void {
  if (rule?.coupon && points !== 1) throw new AppError("validation", "giftCertificates.errors.couponWhole", { points: "giftCertificates.errors.couponWhole" });
  if (points > balance) throw insufficientBalance(balance);
  if (!rule) return;
  if ((rule.product || !rule.partialRedemption) && points !== balance)
    throw new AppError(
      "validation",
      rule.product ? "giftCertificates.errors.productWhole" : "giftCertificates.errors.noPartial",
      { points: "giftCertificates.errors.noPartial" },
      { balance },
      { balance },
    );
}

/**
 * A coupon used already (its one unit spent): refused as such, saying when, rather than as a balance
 * too low. Checked under the card's lock, so of fifty tills racing for it one redeems and the rest hear this.
 */
export async function refuseUsedCoupon(tx: Db, merchantId: string, cardId: string): Promise<never> {
  const [row] = rowsOf<{ used_at: string | Date | null }>(
    await tx.execute(sql`
      select max(created_at) as used_at from ledger_transactions
      where card_id = ${cardId}::uuid and merchant_id = ${merchantId}::uuid and type = 'redeem'`),
  );
  const usedAt = row?.used_at ? new Date(row.used_at).toISOString() : null;
  throw new AppError("coupon_used", "giftCertificates.errors.couponUsed", undefined, undefined, { usedAt });
}

/** A card of the pools (lib/gift-certificates): every gift certificate, and a coupon-kind card with a pool code. */
export const isPoolCard = (locked: { kind?: string; pooled?: boolean }): boolean => locked.kind === "gift" || (locked.kind === "coupon" && !!locked.pooled);

/** Money is only ever taken from a certificate at a till (accruals and purchases are for loyalty cards). */
export const certificateAccrualRefused = () => new AppError("validation", "giftCertificates.errors.noAccrual", { type: "giftCertificates.errors.noAccrual" });

/** The pool's view of the certificate after a movement: `redeemed` once nothing is left, back to `issued` after a reversal. */
export async function syncCodeStatus(tx: Db, merchantId: string, cardId: string, balance: number): Promise<void> {
  await tx.execute(sql`
    update certificate_codes set status = ${balance === 0 ? "redeemed" : "issued"}::certificate_code_status
    where card_id = ${cardId}::uuid and merchant_id = ${merchantId}::uuid and status <> 'free'`);
}
