import { AppError } from "@/lib/errors";
import type { StampProgram } from "@/lib/templates/definition";
import { insufficientBalance } from "./rules";

/**
 * Stamp cards in the ledger, free of the database (the till, the ledger, the passes and the previews
 * read them from here).
 *
 * The model: a stamp card's ledger unit is the stamp. Its balance is the stamps it holds — collected
 * and not yet spent on a reward — so accruals, redemptions, purchases, reversals with their shortfall,
 * idempotency, the row lock against double spending and the events door all work on stamp cards
 * exactly as on points, with no second counter to keep in step. What the customer sees is derived:
 * every `goal` stamps held is one reward ready to take, and what is left over is the row being filled
 * ("the count starts again" at the goal). A reward is redeemed like points: `redeem` (or a purchase's
 * `redeemPoints`) spends `goal` stamps per reward, so the points asked must be a whole number of
 * rewards. The goal is read from the template as it is now: a merchant who changes it changes what the
 * stamps a card holds add up to (the editor says so).
 */

/** A stamp card as the customer and the till see it: the row (`collected` of `goal`) and the rewards ready to take. */
export type StampsView = { collected: number; goal: number; rewards: number };

export function stampsOf(program: Pick<StampProgram, "goal">, balance: number): StampsView {
  const held = Math.max(0, balance);
  return { collected: held % program.goal, goal: program.goal, rewards: Math.floor(held / program.goal) };
}

/** Stamps a till may spend now: the stamps of the whole rewards held. */
export function maxStampsRedeemable(program: Pick<StampProgram, "goal">, balance: number): number {
  return stampsOf(program, balance).rewards * program.goal;
}

/** A redemption on a stamp card: whole rewards only, never more than are held. */
export function checkStampRedeem(program: StampProgram, balance: number, points: number): void {
  if (points % program.goal !== 0)
    throw new AppError("validation", "ledger.errors.stampRedeem", { points: "ledger.errors.stampRedeem" }, { goal: program.goal }, { goal: program.goal });
  if (points > maxStampsRedeemable(program, balance)) throw insufficientBalance(balance);
}

/** Stamps a receipt earns: one per visit, or one when the receipt reaches the programme's amount. */
export function stampsEarned(program: StampProgram, amount: number): number {
  return program.per === "visit" || amount >= program.minAmount ? 1 : 0;
}

/** A receipt on a stamp card: the rewards chosen are spent (whole ones, held), and the receipt may earn a stamp. */
export function stampPurchaseOf(program: StampProgram, balance: number, amount: number, redeemPoints: number): { redeemed: number; accrued: number } {
  if (redeemPoints) checkStampRedeem(program, balance, redeemPoints);
  return { redeemed: redeemPoints, accrued: stampsEarned(program, amount) };
}
