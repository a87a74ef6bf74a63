import { z } from "zod";
import { normalizePhone } from "@/lib/customers/phone";
import { text } from "@/lib/validations/common";
import { GIVER_MESSAGE_MAX } from "@/lib/validations/gift-certificates";
import { BALANCE_MAX } from "@/lib/validations/limits";
import { apiCardSchema, pageParams } from "./schemas";

/** The gift-certificate calls' shapes (GET /certificate-definitions, /certificates), in and out. */

const phoneOf = (defaultCountry: string) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      const e164 = normalizePhone(value, defaultCountry);
      if (!e164) ctx.addIssue({ code: "custom", message: "customers.errors.phone" });
      return e164 ?? z.NEVER;
    });

export function issueCertificateRequestSchema(defaultCountry: string) {
  return z.object({
    definitionId: z.uuid({ error: "errors.notFound" }).meta({ description: "One of the merchant's certificate definitions that is not archived." }),
    phone: phoneOf(defaultCountry).meta({ description: "The recipient's phone, national (read in the merchant's country) or international; stored in E.164." }),
    amount: z
      .int({ error: "giftCertificates.errors.nominal" })
      .min(1, { error: "giftCertificates.errors.nominal" })
      .max(BALANCE_MAX, { error: "giftCertificates.errors.nominal" })
      .optional()
      .meta({ description: "The certificate's value in minor units, instead of the definition's nominal (money certificates only)." }),
    message: text(GIVER_MESSAGE_MAX).optional().meta({ description: "The giver's message, shown on the certificate." }),
    sendSms: z.boolean({ error: "giftCertificates.errors.sendSms" }).default(true).meta({
      description:
        "Text the certificate's link to the phone (the definition's SMS text with `{merchant}`, `{link}`, `{amount}`, through the merchant's SMS provider, in the outbox). `false`: issue silently, e.g. when the till hands the code over itself.",
    }),
  });
}

export const CERTIFICATE_LIST_STATUSES = ["active", "used", "expired", "blocked"] as const;
const kindSchema = z.enum(["gift", "coupon"], { error: "giftCertificates.errors.kind" }).meta({
  description: "`gift`: a gift certificate (money or a product); `coupon`: a promo-code coupon, one use (`points: 1`), used again: 409 `coupon_used`.",
});

export function listCertificatesQuerySchema(defaultCountry: string) {
  return z.object({
    definitionId: z.uuid({ error: "errors.notFound" }).optional().meta({ description: "Only certificates of this definition." }),
    kind: kindSchema.optional().meta({ description: "Only gift certificates (`gift`) or only coupons (`coupon`)." }),
    phone: phoneOf(defaultCountry).optional().meta({ description: "Only the certificates of this recipient's phone (matched after normalising to E.164)." }),
    status: z
      .enum(CERTIFICATE_LIST_STATUSES, { error: "giftCertificates.errors.status" })
      .optional()
      .meta({ description: "`active` (a balance left, usable), `used` (balance 0: a coupon redeemed), `expired`, `blocked`." }),
    ...pageParams("Certificates"),
  });
}

const localized = z.object({ en: z.string(), ru: z.string() });

export const apiCertificateDefinitionSchema = z.object({
  id: z.uuid(),
  kind: kindSchema,
  name: z.string(),
  templateId: z.uuid(),
  nominal: z.int().nullable().meta({ description: "The value in minor units; null for a product certificate." }),
  product: localized
    .nullable()
    .meta({ description: "What a product certificate buys, or what a coupon gives (one unit, redeemed whole with `points: 1`); null for money." }),
  partialRedemption: z.boolean(),
  validUntil: z.iso.date().nullable().meta({ description: "A fixed last day of validity, or null." }),
  validDays: z.int().nullable().meta({ description: "Days of validity from issue, or null." }),
  locationIds: z.array(z.uuid()).meta({ description: "Points of sale where it is accepted; empty: all." }),
  freeCodes: z.int().meta({ description: "Codes left in the pool: how many more can be issued." }),
  issued: z.int(),
  redeemed: z.int().meta({ description: "Certificates spent to 0." }),
  archived: z.boolean(),
});
export const apiCertificateDefinitionListSchema = z.object({ data: z.array(apiCertificateDefinitionSchema) });

export const apiCertificateSchema = apiCardSchema.extend({
  certificate: z.object({
    kind: kindSchema,
    definitionId: z.uuid(),
    code: z.string().meta({ description: "The promo code, in full (also `number`): what the till types or scans." }),
    message: z.string().nullable(),
    openedAt: z.iso.datetime({ offset: true }).nullable().meta({ description: "When the recipient first opened it in a browser." }),
  }),
});
export const apiCertificateListSchema = z.object({ data: z.array(apiCertificateSchema), nextCursor: z.string().nullable() });

export type ApiCertificate = z.infer<typeof apiCertificateSchema>;
export type ApiCertificateDefinition = z.infer<typeof apiCertificateDefinitionSchema>;
