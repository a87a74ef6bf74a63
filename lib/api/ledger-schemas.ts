import { z } from "zod";
import { normalizePhone } from "@/lib/customers/phone";
import { text } from "@/lib/validations/common";
import { AMOUNT_MAX } from "@/lib/validations/ledger";
import { apiCardSchema, pageParams } from "./schemas";

/** The till's and the ledger's shapes in the REST API (POS API); requests come from lib/validations/ledger.ts. */

const timestamp = z.iso.datetime({ offset: true });

export const apiTransactionSchema = z.object({
  id: z.uuid(),
  type: z.enum(["accrue", "redeem", "purchase", "adjust", "reversal", "expire"]),
  status: z.enum(["pending", "completed"]).meta({ description: "`completed` once the points have moved." }),
  cardId: z.uuid(),
  points: z.int().meta({ description: "The balance's net change (signed)." }),
  accrued: z.int().meta({ description: "Points added; for a reversal, points given back." }),
  redeemed: z.int().meta({ description: "Points spent; for a reversal, points taken back." }),
  balanceAfter: z.int(),
  amount: z.int().nullable().meta({ description: "A purchase's receipt total, or the money a reversal refunded, in minor units." }),
  shortfall: z.int().meta({ description: "A reversal: points it should have taken back but the customer had already spent." }),
  reverses: z.uuid().nullable().meta({ description: "A reversal: the transaction it reverses." }),
  receipt: z.string().nullable(),
  locationId: z.uuid().nullable(),
  tillId: z.uuid().nullable().meta({ description: "The till it was made at (Settings → Tills): the key's till, or the one chosen on the cashier screen." }),
  reason: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  createdAt: timestamp,
});
export type ApiTransaction = z.input<typeof apiTransactionSchema>;

export const apiTransactionListSchema = z.object({
  data: z.array(apiTransactionSchema),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
});

export const listTransactionsQuerySchema = z.object(pageParams("Transactions"));

export const findTransactionQuerySchema = z.object({
  idempotencyKey: z
    .string({ error: "ledger.errors.idempotencyKeyRequired" })
    .regex(/^[\x21-\x7e]{1,255}$/, { error: "api.errors.idempotencyKey" })
    .meta({ description: "The `Idempotency-Key` the transaction was sent with." }),
});

const lookupSchemas = new Map<string, ReturnType<typeof buildLookupQuerySchema>>();

/** GET /pos/lookup: `code` or `phone`, one of them (one schema per country, kept: a till asks on every receipt). */
export function lookupQuerySchema(defaultCountry: string) {
  let schema = lookupSchemas.get(defaultCountry);
  if (!schema) lookupSchemas.set(defaultCountry, (schema = buildLookupQuerySchema(defaultCountry)));
  return schema;
}

function buildLookupQuerySchema(defaultCountry: string) {
  return z
    .object({
      code: text(200).optional().meta({
        description:
          "What the till scanned or typed: the card's barcode value or its number. A card whose template rotates its QR is found only by its rotating payload: `CDQ.<card>.<day>.<signature>` (the customer's page, `/my` and Apple passes; good for its UTC day and the next) or `CDG.<card>.<seconds>.<totp>` (Google passes: Google Wallet's rotating barcode, an 8-digit TOTP of a 24-hour period, taken for its period and the next). Text a scanner typed in the Russian (ЙЦУКЕН) layout is read as the keys it meant.",
      }),
      phone: z
        .string()
        .trim()
        .transform((value, ctx) => {
          const e164 = normalizePhone(value, defaultCountry);
          if (!e164) ctx.addIssue({ code: "custom", message: "customers.errors.phone" });
          return e164 ?? z.NEVER;
        })
        .optional()
        .meta({ description: "The holder's phone in any format (loyalty and stamp cards)." }),
      amount: z.coerce
        .number({ error: "ledger.errors.amount" })
        .int({ error: "ledger.errors.amount" })
        .min(1, { error: "ledger.errors.amount" })
        .max(AMOUNT_MAX, { error: "ledger.errors.amount" })
        .optional()
        .meta({ description: "The receipt in minor units: `redeemable.maxPoints` then honours the programme's share-of-receipt cap." }),
    })
    .refine((q) => (q.code === undefined) !== (q.phone === undefined), { error: "ledger.errors.lookupQuery", path: ["code"] });
}

export const apiLookupSchema = z.object({
  card: apiCardSchema
    .extend({ customer: z.object({ id: z.uuid(), name: z.string() }).nullable() })
    .meta({ description: "The card as GET /cards/{id} shows it, without the holder's phone and e-mail." }),
  holder: z.object({ name: z.string(), phoneMasked: z.string().nullable().meta({ description: "Country code and the last two digits." }) }).nullable(),
  balance: z.int(),
  level: z
    .object({
      name: z.string(),
      discountPercent: z.int(),
      earnPercent: z.int().meta({ description: "The percentage of the money part of a purchase earned as points at this level." }),
      nextLevelIn: z.int().nullable().meta({ description: "Money (minor units) still to spend to reach the next level; null at the top level." }),
    })
    .nullable()
    .meta({ description: "The card's cumulative-discount level (by its total of purchases less refunds); null unless the programme is `cumulative`." }),
  discountPercent: z.int().meta({ description: "The discount to give: the level's, the programme's fixed one, or the card's own value." }),
  redeemable: z.object({
    maxPoints: z
      .int()
      .meta({ description: "Points the customer may pay with now (with `amount`: on that receipt); on a stamp card, the stamps of the whole rewards held." }),
  }),
  stamps: z
    .object({
      collected: z.int().meta({ description: "Stamps in the row towards the next reward (0 to goal − 1)." }),
      goal: z.int().meta({ description: "Stamps that make a reward." }),
      rewards: z.int().meta({ description: 'Rewards ready to take; redeem one with `{ "type": "redeem", "points": goal }`.' }),
    })
    .nullable()
    .meta({
      description:
        "A stamp card's stamps; null for other kinds. A stamp card's `balance` and every ledger number on it count stamps: the stamps it holds, whole rewards included.",
    }),
  expiring: z
    .array(z.object({ points: z.int(), at: timestamp }))
    .meta({ description: "The card's next expiries, soonest first (at most 5): how many points expire at which moment. Empty when nothing expires." }),
});
export type ApiLookup = z.input<typeof apiLookupSchema>;
