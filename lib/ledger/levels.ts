import type { Level, LoyaltyProgram } from "@/lib/templates/definition";

/**
 * Cumulative-discount levels and what a programme gives a card, free of the database (the ledger, the
 * till's lookup, the passes and the previews all read them from here).
 */

/** A card's level as the till and the pass show it; `nextLevelIn` is money (minor units) still to spend, null at the top. */
export type LevelView = { index: number; name: string; discountPercent: number; earnPercent: number; nextLevelIn: number | null };

/** The level a total of purchases reaches: the highest whose threshold it meets (the first starts at 0). Null without levels. */
export function levelOf(program: LoyaltyProgram | null, purchaseTotal: number): LevelView | null {
  if (program?.type !== "cumulative" || !program.levels.length) return null;
  const levels: Level[] = program.levels;
  let index = 0;
  for (let i = 0; i < levels.length; i++) if (purchaseTotal >= levels[i].minTotal) index = i;
  const level = levels[index];
  const next = levels[index + 1];
  return {
    index,
    name: level.name,
    discountPercent: level.discountPercent,
    earnPercent: level.earnPercent ?? program.earnPercent,
    nextLevelIn: next ? Math.max(0, next.minTotal - purchaseTotal) : null,
  };
}

/** The programme as it applies to a card now: a level's own earn rate in place of the programme's. */
export function programAt(program: LoyaltyProgram | null, purchaseTotal: number): LoyaltyProgram | null {
  const level = levelOf(program, purchaseTotal);
  return program && level ? { ...program, earnPercent: level.earnPercent } : program;
}

/** The discount a card gives: the programme's fixed one, its level's, or (points programmes, other kinds) the card's own value. */
export function discountOf(program: LoyaltyProgram | null, card: { discount: number; purchaseTotal: number }): number {
  if (program?.type === "discount") return program.discountPercent;
  return levelOf(program, card.purchaseTotal)?.discountPercent ?? card.discount;
}
