import { AppError } from "@/lib/errors";
import type { LoyaltyProgram } from "@/lib/templates/definition";

/**
 * The ledger's arithmetic, free of the database so each rule is tested on its own. Money is in minor
 * units, points are whole; every division rounds in the customer's favour.
 */

/** Points the customer may pay with now: none below the programme's minimum balance, at most the balance and, with a receipt, its share cap. */
export function maxRedeemable(program: LoyaltyProgram | null, balance: number, amount?: number): number {
  if (!program) return balance;
  if (balance < program.minBalanceToRedeem) return 0;
  if (amount === undefined) return balance;
  return Math.min(balance, Math.floor((amount * program.maxSharePercent) / 100 / program.pointValue));
}

export const insufficientBalance = (balance: number) =>
  new AppError("insufficient_balance", "ledger.errors.insufficientBalance", undefined, { balance }, { balance });
export const redeemLimitExceeded = (maxPoints: number) =>
  new AppError("redeem_limit_exceeded", "ledger.errors.redeemLimit", undefined, { maxPoints }, { maxPoints });

/** A plain redemption: never beyond the balance, never below the programme's minimum balance. */
export function checkRedeem(program: LoyaltyProgram | null, balance: number, points: number): void {
  if (points > balance) throw insufficientBalance(balance);
  const max = maxRedeemable(program, balance);
  if (points > max) throw redeemLimitExceeded(max);
}

/**
 * A receipt: the chosen points are redeemed (capped), and points are earned on the part paid with
 * money, rounded down (a fraction of a point is never owed).
 */
export function purchaseOf(program: LoyaltyProgram, balance: number, amount: number, redeemPoints: number): { redeemed: number; accrued: number } {
  if (redeemPoints > balance) throw insufficientBalance(balance);
  const max = maxRedeemable(program, balance, amount);
  if (redeemPoints > max) throw redeemLimitExceeded(max);
  const cash = Math.max(0, amount - redeemPoints * program.pointValue);
  return { redeemed: redeemPoints, accrued: Math.floor((cash * program.earnPercent) / (100 * program.pointValue)) };
}

/**
 * `points × part / whole` rounded as asked, exactly: the product of a large receipt's points and its
 * refund passes 2^53, where a float can land just under a whole number and floor a point away.
 */
export function share(points: number, part: number, whole: number, round: "down" | "up"): number {
  const [p, w] = [BigInt(points) * BigInt(part), BigInt(whole)];
  return Number(round === "down" || p % w === 0n ? p / w : p / w + 1n);
}

/** What a transaction moved, and what its earlier reversals already undid. */
export type Reversible = { type: "accrue" | "redeem" | "purchase" | "adjust"; accrued: number; redeemed: number; amount: number | null };
export type Undone = { returned: number; takenBack: number; amount: number };

/** One reversal's effect: points given back, points taken back, points that could not be taken (spent), money refunded. */
export type ReversalEffect = { returned: number; take: number; shortfall: number; amount: number | null };

function exceeds(left: number) {
  return new AppError("reverse_exceeds_original", "ledger.errors.reverseExceeds", undefined, { left }, { left });
}
const alreadyReversed = () => new AppError("already_reversed", "ledger.errors.alreadyReversed");

/**
 * A reversal of `original` in full (nothing asked) or in part, never beyond what it moved across all
 * its reversals. Accruals, redemptions and adjustments are reversed by points; a purchase by the money
 * refunded, taking back the accrued points and returning the redeemed ones in proportion. Proportions
 * are of the refunds so far in total (so partial refunds add up to exactly a full one): points taken
 * back round down and points returned round up, both in the customer's favour, never beyond the
 * original. Points already spent cannot be taken back: the balance stays ≥ 0 and `shortfall` tells.
 */
export function reversalOf(original: Reversible, undone: Undone, ask: { points?: number; amount?: number }, balance: number): ReversalEffect {
  const takeFrom = (want: number, available: number) => ({ take: Math.min(want, available), shortfall: want - Math.min(want, available) });
  if (original.type === "purchase") {
    if (ask.points !== undefined) throw new AppError("validation", "ledger.errors.reverseBy", { points: "ledger.errors.reverseBy" });
    const total = original.amount ?? 0;
    const left = total - undone.amount;
    if (left <= 0) throw alreadyReversed();
    const refund = ask.amount ?? left;
    if (refund > left) throw exceeds(left);
    const refunded = undone.amount + refund;
    const takeTarget = share(original.accrued, refunded, total, "down");
    const returnTarget = Math.min(original.redeemed, share(original.redeemed, refunded, total, "up"));
    const returned = Math.max(0, returnTarget - undone.returned);
    return { returned, ...takeFrom(Math.max(0, takeTarget - undone.takenBack), balance + returned), amount: refund };
  }
  if (ask.amount !== undefined) throw new AppError("validation", "ledger.errors.reverseBy", { amount: "ledger.errors.reverseBy" });
  // An accrual (or an adjustment up) is undone by taking points back; a redemption (or an adjustment down) by giving them back.
  const givesBack = original.redeemed > 0;
  const left = givesBack ? original.redeemed - undone.returned : original.accrued - undone.takenBack;
  if (left <= 0) throw alreadyReversed();
  const points = ask.points ?? left;
  if (points > left) throw exceeds(left);
  if (givesBack) return { returned: points, take: 0, shortfall: 0, amount: null };
  return { returned: 0, ...takeFrom(points, balance), amount: null };
}
