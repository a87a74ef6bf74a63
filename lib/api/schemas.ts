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
export function issueCardRequestSchema(defaultCountry: string) {
  const s = issueCardSchema(defaultCountry).shape;
  return z
    .object({
      templateId: s.templateId.meta({ description: "One of the merchant's templates that is not archived." }),
      customer: s.customer.meta({ description: "The holder, found by phone or created. The phone may be national (read in the merchant's country) or international and is stored in E.164; `birthday` is `YYYY-MM-DD`." }),
      values: z.object({ balance: s.balance, discount: s.discount, custom: s.custom }).optional().meta({ description: "First values; `custom` keys must be shown by the template's fields." }),
      expiresAt: s.expiresAt.meta({ description: "`YYYY-MM-DD` (valid to the end of that day, UTC) or an ISO date-time; null for none. Left out: the template's expiry policy." }),
      number: s.number.meta({ description: "The merchant's own card number (4–32 letters, digits, dashes); left out: drawn from the template's numbering." }),
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
    cursor: text(500).optional().meta({ description: "`nextCursor` from the previous page." }),
    limit: z.coerce.number({ error: "api.errors.limit" }).int({ error: "api.errors.limit" }).min(1, { error: "api.errors.limit" }).max(100, { error: "api.errors.limit" }).default(50).meta({ description: "Cards per page, 1–100." }),
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
  status: z.enum(CARD_STATUSES).meta({ description: "Derived: `issued` (in no wallet yet), `installed`, `removed` (from every wallet), `blocked` (lost or deactivated), `expired`." }),
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

export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]).meta({
      description: "bad_request 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, validation 422, rate_limited 429, internal 500.",
    }),
    message: z.string().meta({ description: "English text for people; branch on `code`." }),
    details: z
      .array(z.object({ path: z.string().meta({ description: "Dotted path of the field in the request, e.g. `customer.phone`; empty for the whole body." }), message: z.string() }))
      .optional(),
  }),
});

export type ApiCard = z.input<typeof apiCardSchema>;
export type ApiTemplate = z.input<typeof apiTemplateSchema>;
