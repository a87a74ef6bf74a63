import { z } from "zod";
import { normalizePhone } from "@/lib/customers/phone";
import { customerFieldsSchema } from "@/lib/validations/customers";
import { ownNumberSchema } from "@/lib/validations/cards";

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

const phoneSchemas = new Map<string, ReturnType<typeof buildPhoneBody>>();

/** `{ "phone": "…" }` in any format, read as E.164 with the merchant's country as the default. */
export function phoneBodySchema(defaultCountry: string) {
  let schema = phoneSchemas.get(defaultCountry);
  if (!schema) phoneSchemas.set(defaultCountry, (schema = buildPhoneBody(defaultCountry)));
  return schema;
}

function buildPhoneBody(defaultCountry: string) {
  return z.object({
    phone: z
      .string({ error: "customers.errors.phone" })
      .trim()
      .max(40, { error: "customers.errors.phone" })
      .transform((value, ctx) => {
        const e164 = normalizePhone(value, defaultCountry);
        if (!e164) ctx.addIssue({ code: "custom", message: "customers.errors.phone" });
        return e164 ?? z.NEVER;
      })
      .meta({ description: "The holder's phone in any format." }),
  });
}

export const apiAuthorizationSchema = z.object({
  id: z.uuid().meta({ description: "Verify the PIN at `/pos/authorizations/{id}/verify`." }),
  phoneMasked: z.string().nullable(),
  expiresAt: timestamp,
});

/** POST /pos/cards: the customer at the counter, and a pre-printed card's number to activate. */
export const posCardSchema = (defaultCountry: string) =>
  customerFieldsSchema(defaultCountry)
    .omit({ email: true })
    .extend({
      number: ownNumberSchema.meta({ description: "A pre-printed card's number (card stock) to activate; left out: a new card on the till template." }),
    });
