import { z } from "zod";
import { text } from "./common";
import { BALANCE_MAX } from "./limits";

/** Points one transaction may move, and money (minor units) one receipt may hold. */
export const POINTS_MAX = 100_000_000;
export const AMOUNT_MAX = BALANCE_MAX;

const points = () =>
  z
    .number({ error: "ledger.errors.points" })
    .int({ error: "ledger.errors.points" })
    .min(1, { error: "ledger.errors.points" })
    .max(POINTS_MAX, { error: "ledger.errors.points" })
    .meta({ description: "Whole points, 1–100,000,000." });
const amount = () =>
  z
    .number({ error: "ledger.errors.amount" })
    .int({ error: "ledger.errors.amount" })
    .min(1, { error: "ledger.errors.amount" })
    .max(AMOUNT_MAX, { error: "ledger.errors.amount" })
    .meta({ description: "Money in minor units (kopecks, cents), 1–2,000,000,000." });

const where = {
  receipt: text(64).optional().meta({ description: "The till's receipt number, shown in the card's history." }),
  locationId: z.uuid({ error: "ledger.errors.location" }).optional().meta({ description: "One of the merchant's points of sale." }),
};

/** What a till asks the ledger to do (POST /cards/{id}/transactions). */
export const postTransactionSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("accrue"), points: points(), ...where }).meta({ description: "Add points." }),
    z.object({ type: z.literal("redeem"), points: points(), ...where }).meta({ description: "Spend points." }),
    z
      .strictObject({
        type: z.literal("purchase"),
        amount: amount().meta({ description: "The receipt's total in minor units." }),
        redeemPoints: z
          .number({ error: "ledger.errors.points" })
          .int({ error: "ledger.errors.points" })
          .min(0, { error: "ledger.errors.points" })
          .max(POINTS_MAX, { error: "ledger.errors.points" })
          .default(0)
          .meta({ description: "Points the customer chose to pay with, capped by the programme (0 or left out: none)." }),
        ...where,
      })
      .meta({ description: "A receipt: redeem the chosen points (capped by the programme), then accrue on the part paid with money — one transaction." }),
  ],
  { error: "ledger.errors.type" },
);
/** As a service takes it: `redeemPoints` may be left out (none). */
export type PostTransactionInput = z.input<typeof postTransactionSchema>;

/** POST /transactions/{id}/reverse: `points` for accruals and redemptions, `amount` (money refunded) for purchases; left out = all that is left. */
export const reverseTransactionSchema = z.object({
  points: points().optional().meta({ description: "Points to reverse (accruals, redemptions, adjustments); left out: all that is left." }),
  amount: amount().optional().meta({ description: "Money refunded, in minor units (purchases); left out: all that is left." }),
  reason: text(200).optional().meta({ description: "Why, for the card's history." }),
});
export type ReverseTransactionInput = z.output<typeof reverseTransactionSchema>;
