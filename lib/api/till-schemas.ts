import { z } from "zod";
import { normalizePhone } from "@/lib/customers/phone";
import { customerFieldsSchema } from "@/lib/validations/customers";
import { ownNumberSchema } from "@/lib/validations/cards";
import { OWN_NUMBER_PATTERN } from "@/lib/validations/limits";
import { fromRussianLayout } from "@/lib/till/layout";
import type { AuthorizationTarget } from "@/lib/till/pin";

const timestamp = z.iso.datetime();

/** 202 of POST /cards/{id}/transactions when the programme wants the customer's code. */
export const apiPendingConfirmationSchema = z
  .object({
    id: z.uuid().meta({ description: "The pending transaction: confirm or cancel it by this id; once confirmed, the transaction has this id." }),
    status: z.literal("awaiting_confirmation"),
    confirmation: z.object({
      channel: z.enum(["sms", "call"]).meta({ description: "`sms`: a 6-digit code by SMS; `call`: a call whose number ends in the code (4 digits), 3 tries." }),
      expiresAt: timestamp,
      phoneMasked: z.string().nullable().meta({ description: "Where the code went: country code and the last two digits." }),
    }),
  })
  .meta({ description: "Nothing has moved yet: ask the customer for the code and send it to `/transactions/{id}/confirm`." });

export const apiCancelledSchema = z.object({ id: z.uuid(), status: z.literal("cancelled") });

/** A phone in any format, read as E.164 with the merchant's country as the default. */
const phoneField = (defaultCountry: string) =>
  z
    .string({ error: "customers.errors.phone" })
    .trim()
    .max(40, { error: "customers.errors.phone" })
    .transform((value, ctx) => {
      const e164 = normalizePhone(value, defaultCountry);
      if (!e164) ctx.addIssue({ code: "custom", message: "customers.errors.phone" });
      return e164 ?? z.NEVER;
    })
    .meta({ description: "The holder's phone in any format." });

/**
 * A card number as printed or shown: what a scanner typed in the Russian layout is read as the keys
 * it meant (lib/till/layout), spaces between groups are dropped, letters upper-cased.
 */
const cardNumberField = z
  .string({ error: "cards.errors.numberFormat" })
  .max(64, { error: "cards.errors.numberFormat" })
  .transform((value, ctx) => {
    const number = fromRussianLayout(value).replace(/\s+/g, "").toUpperCase();
    if (!OWN_NUMBER_PATTERN.test(number)) ctx.addIssue({ code: "custom", message: "cards.errors.numberFormat" });
    return number;
  })
  .meta({
    description:
      "The card's number as printed or shown (spaces between groups and a Russian-layout scanner's letters are read as meant), for a customer whose rotating QR is out of date. The PIN goes to the card holder's phone.",
  });

const authorizationBodies = new Map<string, ReturnType<typeof buildAuthorizationBody>>();

/** POST /pos/authorizations: `{ "phone" }` or `{ "number" }`, exactly one. */
export function authorizationBodySchema(defaultCountry: string) {
  let schema = authorizationBodies.get(defaultCountry);
  if (!schema) authorizationBodies.set(defaultCountry, (schema = buildAuthorizationBody(defaultCountry)));
  return schema;
}

// Parsed as one object, so a bad phone or number is named as its field (a union would only say neither matched).
function buildAuthorizationBody(defaultCountry: string) {
  return z
    .object({ phone: phoneField(defaultCountry).optional(), number: cardNumberField.optional() })
    .refine((b) => (b.phone === undefined) !== (b.number === undefined), { error: "till.errors.phoneOrNumber", path: ["phone"] })
    .transform((b): AuthorizationTarget => (b.phone !== undefined ? { phone: b.phone } : { number: b.number! }));
}

/** The same body as the OpenAPI document shows it: one of the two. */
export const authorizationDocSchema = (defaultCountry: string) =>
  z.xor([z.object({ phone: phoneField(defaultCountry) }), z.object({ number: cardNumberField })]).meta({ description: "Exactly one of `phone` and `number`." });

export const apiAuthorizationSchema = z.object({
  id: z.uuid().meta({ description: "Verify the PIN at `/pos/authorizations/{id}/verify`." }),
  phoneMasked: z
    .string()
    .nullable()
    .meta({ description: "Asked by phone: that phone, masked (country code and the last two digits). Asked by number: null, card or no card." }),
  expiresAt: timestamp,
});

/** POST /pos/cards: the customer at the counter, and a pre-printed card's number to activate. */
export const posCardSchema = (defaultCountry: string) =>
  customerFieldsSchema(defaultCountry)
    .omit({ email: true })
    .extend({
      number: ownNumberSchema.meta({ description: "A pre-printed card's number (card stock) to activate; left out: a new card on the till template." }),
    });
