import type { Level, LoyaltyProgram } from "@/lib/templates/definition";

/**
 * Cumulative-discount levels and what a programme gives a card, free of the database (the ledger, the
 * till's lookup, the passes, the reports and the previews all read them from here).
 */

/** A card's level as the till and the pass show it; `nextLevelIn` is money (minor units) still to spend, null at the top. */
export type LevelView = { index: number; name: string; discountPercent: number; earnPercent: number; nextLevelIn: number | null };

/**
 * What a card's level is read from: its total of purchases less refunds and its level floor (a starting
 * level a company gave it, cards.level_floor), both in minor units. The floor is the purchase total the
 * level started at when it was given, not the level's index or name: a merchant who adds, removes,
 * reorders or renames the template's levels later keeps every floor meaningful (the card stands at
 * whatever level that much spending earns now), where an index would point at another level or at
 * none. Null: no floor.
 */
export type LevelStanding = { purchaseTotal: number; levelFloor: number | null };

/**
 * The level a card stands at: the higher of what its total earns and its floor — the highest level whose
 * threshold `max(total, floor)` meets (the first starts at 0). A refund lowers the total, never the
 * card below its floor. The money to the next level is counted from the card's real total, since only
 * real purchases move it. Null without levels.
 */
export function levelOf(program: LoyaltyProgram | null, standing: LevelStanding): LevelView | null {
  if (program?.type !== "cumulative" || !program.levels.length) return null;
  const levels: Level[] = program.levels;
  const counted = Math.max(standing.purchaseTotal, standing.levelFloor ?? 0);
  let index = 0;
  for (let i = 0; i < levels.length; i++) if (counted >= levels[i].minTotal) index = i;
  const level = levels[index];
  const next = levels[index + 1];
  return {
    index,
    name: level.name,
    discountPercent: level.discountPercent,
    earnPercent: level.earnPercent ?? program.earnPercent,
    nextLevelIn: next ? Math.max(0, next.minTotal - standing.purchaseTotal) : null,
  };
}

/** The programme as it applies to a card now: a level's own earn rate in place of the programme's. */
export function programAt(program: LoyaltyProgram | null, standing: LevelStanding): LoyaltyProgram | null {
  const level = levelOf(program, standing);
  return program && level ? { ...program, earnPercent: level.earnPercent } : program;
}

/** The discount a card gives: the programme's fixed one, its level's, or (points programmes, other kinds) the card's own value. */
export function discountOf(program: LoyaltyProgram | null, card: LevelStanding & { discount: number }): number {
  if (program?.type === "discount") return program.discountPercent;
  return levelOf(program, card)?.discountPercent ?? card.discount;
}

/** A starting level a programme can give: the threshold (minor units) of one of its levels above the first; else why not. */
export function floorRefusal(program: LoyaltyProgram | null, floor: number): "levelNoLevels" | "levelUnknown" | null {
  if (program?.type !== "cumulative" || !program.levels.length) return "levelNoLevels";
  return program.levels.some((l, i) => i > 0 && l.minTotal === floor) ? null : "levelUnknown";
}
