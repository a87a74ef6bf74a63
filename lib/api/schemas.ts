import { z } from "zod";
import { CARD_STATUSES } from "@/lib/cards/statuses";
import { normalizePhone } from "@/lib/customers/phone";
import { TEMPLATE_KINDS } from "@/lib/templates/definition";
import { issueCardSchema, patchCardSchema } from "@/lib/validations/cards";
import { text } from "@/lib/validations/common";
import { API_ERROR_STATUS, type ApiErrorCode } from "./errors";

/**
 * The REST API's shapes, in and out. Requests are built from the cabinet's own schemas
 * (lib/validations/cards.ts), so a rule changes in one place; the OpenAPI document is generated
 * from these same objects (lib/api/openapi.ts).
 */

/** POST /cards: the issue form's fields, with the card's values grouped under `values` as PATCH has them. */

/** A cursor list's paging parameters: `cursor` from the previous page's `nextCursor`, and `limit` 1–100 (50 by default). */
export function pageParams(items: string) {
  return {
    cursor: text(500).optional().meta({ description: "`nextCursor` from the previous page." }),
    limit: z.coerce
      .number({ error: "api.errors.limit" })
      .int({ error: "api.errors.limit" })
      .min(1, { error: "api.errors.limit" })
      .max(100, { error: "api.errors.limit" })
      .default(50)
      .meta({ description: `${items} per page, 1–100.` }),
  };
}

export function issueCardRequestSchema(defaultCountry: string) {
  const s = issueCardSchema(defaultCountry).shape;
  return z
    .object({
      templateId: s.templateId.meta({ description: "One of the merchant's templates that is not archived." }),
      customer: s.customer.meta({
        description:
          "The holder, found by phone or created. The phone may be national (read in the merchant's country) or international and is stored in E.164; `birthday` is `YYYY-MM-DD`.",
      }),
      values: z
        .object({ balance: s.balance, discount: s.discount, custom: s.custom })
        .optional()
        .meta({ description: "First values; `custom` keys must be shown by the template's fields." }),
      expiresAt: s.expiresAt.meta({
        description: "`YYYY-MM-DD` (valid to the end of that day, UTC) or an ISO date-time; null for none. Left out: the template's expiry policy.",
      }),
      number: s.number.meta({ description: "The merchant's own card number (4–32 letters, digits, dashes); left out: drawn from the template's numbering." }),
      allowDuplicate: s.allowDuplicate.meta({
        description:
          "One card per phone per template: when the phone already holds a card of this template the answer is 409 `card_exists` with that card in `error.data.card`. `true` issues another card on purpose.",
      }),
    })
    .transform(({ values, ...rest }) => ({ ...rest, ...values }));
}

export const patchCardRequestSchema = patchCardSchema;

/** GET /cards query. Query values are text, so the limit is coerced; a bad phone is refused, not ignored. */
export function listCardsQuerySchema(defaultCountry: string) {
  return z.object({
    phone: z
      .string()
      .trim()
      .transform((value, ctx) => {
        const e164 = normalizePhone(value, defaultCountry);
        if (!e164) ctx.addIssue({ code: "custom", message: "customers.errors.phone" });
        return e164 ?? z.NEVER;
      })
      .optional()
      .meta({ description: "The holder's whole phone, national or international; matched exactly after normalising to E.164." }),
    // Card numbers are stored upper-case (own numbers are upper-cased when issued).
    number: text(100).toUpperCase().optional().meta({ description: "The card number (barcode value), exact." }),
    template: z.uuid({ error: "cards.errors.template" }).optional().meta({ description: "Only cards of this template." }),
    status: z.enum(CARD_STATUSES, { error: "cards.errors.status" }).optional().meta({ description: "Only cards in this status." }),
    ...pageParams("Cards"),
  });
}

export const listTemplatesQuerySchema = z.object({
  archived: z
    .enum(["true", "false"], { error: "api.errors.boolean" })
    .default("false")
    .transform((v) => v === "true")
    .meta({ description: "`true` lists archived templates instead of active ones." }),
});

const timestamp = z.iso.datetime({ offset: true });

export const apiCardSchema = z.object({
  id: z.uuid(),
  serialNumber: z.string().meta({ description: "The pass's serial number in Apple Wallet." }),
  number: z.string().meta({ description: "The card number the barcode carries." }),
  status: z
    .enum(CARD_STATUSES)
    .meta({ description: "Derived: `issued` (in no wallet yet), `installed`, `removed` (from every wallet), `blocked` (lost or deactivated), `expired`." }),
  templateId: z.uuid(),
  customer: z.object({ id: z.uuid(), phone: z.string().nullable(), email: z.string().nullable(), name: z.string() }).nullable(),
  values: z.object({ balance: z.int(), discount: z.int(), custom: z.record(z.string(), z.string()) }),
  expiresAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  links: z
    .object({ pass: z.url(), google: z.url(), page: z.url() })
    .meta({ description: "Public links to send the holder: the .pkpass, the Save to Google Wallet redirect and the card's page." }),
});

/** One card as GET /cards/{id} and PATCH answer it: the card and what of its points expires when (the lists leave it out). */
export const apiCardDetailSchema = apiCardSchema.extend({
  expiring: z
    .array(z.object({ points: z.int(), at: timestamp }))
    .meta({ description: "The card's next expiries, soonest first (at most 5): how many points expire at which moment. Empty when nothing expires." }),
});

export const apiTemplateSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(TEMPLATE_KINDS),
  version: z.int().meta({ description: "The current design version." }),
  archived: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const apiCardListSchema = z.object({
  data: z.array(apiCardSchema),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
});

export const apiTemplateListSchema = z.object({ data: z.array(apiTemplateSchema) });

/**
 * What `error.data` holds, per code that carries facts: the one place a program reads them (never from
 * `message`). A code not listed here has no `data`. New facts (a balance too low, the tries left, a
 * list of choices) are added here, so the OpenAPI document names them per code.
 */
export const API_ERROR_DATA = {
  forbidden: z
    .object({ scope: z.string().meta({ description: "The scope the operation needs." }) })
    .meta({ description: "`forbidden`: the scope the key lacks." }),
  conflict: z
    .object({ number: z.string().optional().meta({ description: "The card number that is taken." }) })
    .meta({ description: "`conflict`: `number` when an own card number is taken; nothing for a reused `Idempotency-Key` or a card changed meanwhile." }),
  card_exists: z
    .object({ card: apiCardSchema })
    .meta({ description: "`card_exists`: the phone already holds a card of this template; send `allowDuplicate: true` to issue another on purpose." }),
  validation: z
    .object({ keys: z.array(z.string()).optional().meta({ description: "Custom value keys the template does not show." }) })
    .meta({ description: "`validation`: `keys` when custom values name fields the template does not show; each field's reason is in `details`." }),
  several_cards: z
    .object({
      choices: z
        .array(z.object({ id: z.uuid(), number: z.string(), templateName: z.string() }))
        .meta({ description: "Each card the phone holds: id, number and template name." }),
    })
    .meta({ description: "`several_cards`: the phone holds several loyalty cards; look one up by its `code`." }),
  insufficient_balance: z
    .object({ balance: z.int().meta({ description: "The card's balance now." }) })
    .meta({ description: "`insufficient_balance`: the balance now." }),
  redeem_limit_exceeded: z
    .object({ maxPoints: z.int().meta({ description: "The most points this redemption may take." }) })
    .meta({ description: "`redeem_limit_exceeded`: the most points allowed." }),
  limit_exceeded: z
    .object({
      limit: z
        .enum(["card_day", "till_hour", "cashier_hour"])
        .meta({ description: "Which guard rail: points per card per day, per till per hour, per cashier per hour." }),
      max: z.int(),
      used: z.int().meta({ description: "Already redeemed within the limit's period." }),
      requested: z.int(),
    })
    .meta({ description: "`limit_exceeded`: which limit, its maximum, what was used and what was asked." }),
  code_invalid: z.object({ triesLeft: z.int().min(1) }).meta({ description: "`code_invalid`: tries left." }),
  reverse_exceeds_original: z
    .object({ left: z.int().meta({ description: "What is left to reverse: points, or money for a purchase." }) })
    .meta({ description: "`reverse_exceeds_original`: what is left to reverse." }),
  precondition_failed: z
    .object({ etag: z.string().meta({ description: "The card's ETag now, as `GET` would send it (also in the `ETag` header)." }) })
    .meta({ description: "`precondition_failed`: the card's current tag." }),
  rate_limited: z
    .object({ retryAfter: z.int().min(1).meta({ description: "Seconds to wait, as in `Retry-After`." }) })
    .meta({ description: "`rate_limited`: when to try again." }),
  no_free_codes: z
    .object({ missing: z.int().meta({ description: "How many more free codes the pool needs." }) })
    .meta({ description: "`no_free_codes`: the codes missing from the definition's pool." }),
  location_not_accepted: z
    .object({
      locationId: z.uuid().meta({ description: "The point of sale refused: the till's own, or the request's `locationId`." }),
      accepted: z.array(z.uuid()).meta({ description: "The points of sale where the certificate is accepted." }),
    })
    .meta({ description: "`location_not_accepted`: where the redemption was tried and where the certificate is accepted." }),
  coupon_used: z
    .object({ usedAt: z.iso.datetime({ offset: true }).nullable().meta({ description: "When the coupon was redeemed." }) })
    .meta({ description: "`coupon_used`: when the coupon was used." }),
} satisfies Partial<Record<ApiErrorCode, z.ZodType>>;

const API_ERROR_CODES = Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]];

const errorDetails = z
  .array(
    z.object({
      path: z.string().meta({ description: "Dotted path of the field in the request, e.g. `customer.phone`; empty for the whole body." }),
      message: z.string(),
    }),
  )
  .meta({ description: "`validation` and field-bound `conflict`: each field with its reason." });

/** The error body of the given codes, `data` described per code (the OpenAPI document's responses). */
export function apiErrorSchemaFor(codes: readonly ApiErrorCode[]) {
  const data = codes.flatMap((code) => (code in API_ERROR_DATA ? [API_ERROR_DATA[code as keyof typeof API_ERROR_DATA]] : []));
  return z.object({
    error: z.object({
      code: z.enum(codes as [ApiErrorCode, ...ApiErrorCode[]]).meta({ description: codes.map((c) => `${c} ${API_ERROR_STATUS[c]}`).join(", ") + "." }),
      message: z.string().meta({ description: "English text for people; branch on `code`." }),
      ...(codes.some((c) => c === "validation" || c === "conflict") && { details: errorDetails.optional() }),
      ...(data.length && {
        data: (data.length === 1 ? data[0] : z.union(data as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])).optional().meta({
          description: "Facts for programs, per code: " + data.map((d) => d.meta()?.description).join(" "),
        }),
      }),
    }),
  });
}

/** Every error body: `{ error: { code, message, details?, data? } }`. */
export const apiErrorSchema = apiErrorSchemaFor(API_ERROR_CODES);

export type ApiCard = z.input<typeof apiCardSchema>;
export type ApiCardDetail = z.input<typeof apiCardDetailSchema>;
export type ApiTemplate = z.input<typeof apiTemplateSchema>;
