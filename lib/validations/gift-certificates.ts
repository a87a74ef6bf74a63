import { z } from "zod";
import { CODE_LENGTH_DEFAULT, CODE_LENGTH_MAX, CODE_LENGTH_MIN, GENERATE_MAX } from "@/lib/gift-certificates/codes";
import { multilineText, requiredText, text } from "./common";
import { BALANCE_MAX } from "./limits";

export const DEFINITION_NAME_MAX = 100;
export const GIVER_MESSAGE_MAX = 500;
export const RICH_TEXT_MAX = 4000;

const localized = (max: number, multiline = true) =>
  z.object({ en: multiline ? multilineText(max) : text(max), ru: multiline ? multilineText(max) : text(max) });

/** A gift-certificate definition as the cabinet's form and any later API send it. */
export const definitionSchema = z
  .object({
    name: requiredText(DEFINITION_NAME_MAX),
    /**
     * `money`: a nominal in minor units; `product`: one unit of the named product, redeemed whole;
     * `coupon`: a promo-code coupon (the definition's kind), one use, `product` saying what it gives.
     */
    valueKind: z.enum(["money", "product", "coupon"]),
    nominal: z.coerce
      .number({ error: "giftCertificates.errors.nominal" })
      .int({ error: "giftCertificates.errors.nominal" })
      .min(1, { error: "giftCertificates.errors.nominal" })
      .max(BALANCE_MAX, { error: "giftCertificates.errors.nominal" })
      .optional(),
    product: localized(120, false).optional(),
    locationIds: z.array(z.uuid()).max(100).default([]),
    presentation: localized(RICH_TEXT_MAX),
    terms: localized(RICH_TEXT_MAX),
    validity: z.discriminatedUnion("mode", [
      z.object({ mode: z.literal("fixed"), date: z.iso.date({ error: "giftCertificates.errors.date" }) }),
      z.object({
        mode: z.literal("days"),
        days: z.coerce
          .number({ error: "giftCertificates.errors.days" })
          .int({ error: "giftCertificates.errors.days" })
          .min(1, { error: "giftCertificates.errors.days" })
          .max(3650, { error: "giftCertificates.errors.days" }),
      }),
    ]),
    partialRedemption: z.boolean().default(true),
    lowPoolThreshold: z.coerce.number().int().min(0).max(1_000_000).default(0),
    /** The SMS to phone-list recipients: `{merchant}`, `{link}`, `{amount}`; empty: the default. */
    smsTemplate: text(300).default(""),
    /** A template of the gift kind; left out: one is made with the definition's name. */
    templateId: z.uuid().optional(),
  })
  .superRefine((d, ctx) => {
    if (d.valueKind === "money" && d.nominal === undefined) ctx.addIssue({ code: "custom", message: "giftCertificates.errors.nominal", path: ["nominal"] });
    if (d.valueKind !== "money" && !(d.product?.en || d.product?.ru))
      ctx.addIssue({
        code: "custom",
        message: d.valueKind === "coupon" ? "giftCertificates.errors.offer" : "giftCertificates.errors.product",
        path: ["product", "en"],
      });
  });
export type DefinitionInput = z.input<typeof definitionSchema>;
export type DefinitionValues = z.output<typeof definitionSchema>;

export const generateCodesSchema = z.object({
  count: z.coerce.number().int().min(1, { error: "giftCertificates.errors.count" }).max(GENERATE_MAX, { error: "giftCertificates.errors.count" }),
  length: z.coerce
    .number()
    .int()
    .min(CODE_LENGTH_MIN, { error: "giftCertificates.errors.length" })
    .max(CODE_LENGTH_MAX, { error: "giftCertificates.errors.length" })
    .default(CODE_LENGTH_DEFAULT),
});

/** A sum typed in major units ("1000", "1 000,50") as minor units for `currency`; NaN when unreadable. */
export function majorToMinor(raw: unknown, digits: number): number {
  if (typeof raw !== "string" || !raw.trim()) return Number.NaN;
  const cleaned = raw.replace(/[\s\u00a0]/g, "").replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return Number.NaN;
  const [whole, fraction = ""] = cleaned.split(".");
  if (fraction.length > digits) return Number.NaN;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || 0);
}

/** The cabinet's definition form (FormData: flat names, money in major units, checkboxes `location.<id>`). */
export function definitionFormSchema(currencyDigits: number) {
  return z.preprocess(
    (raw) => {
      const f = (raw ?? {}) as Record<string, unknown>;
      const str = (k: string) => (typeof f[k] === "string" ? (f[k] as string) : "");
      const valueKind = str("valueKind") === "product" ? "product" : str("valueKind") === "coupon" ? "coupon" : "money";
      return {
        id: f.id || undefined,
        name: str("name"),
        valueKind,
        nominal: valueKind === "money" ? majorToMinor(str("nominal"), currencyDigits) : undefined,
        product: valueKind !== "money" ? { en: str("product.en"), ru: str("product.ru") } : undefined,
        locationIds: Object.keys(f)
          .filter((k) => k.startsWith("location."))
          .map((k) => k.slice("location.".length)),
        presentation: { en: str("presentation.en"), ru: str("presentation.ru") },
        terms: { en: str("terms.en"), ru: str("terms.ru") },
        validity: str("validityMode") === "fixed" ? { mode: "fixed", date: str("validity.date") } : { mode: "days", days: str("validity.days") },
        partialRedemption: f.partialRedemption === "on",
        lowPoolThreshold: str("lowPoolThreshold") || 0,
        smsTemplate: str("smsTemplate"),
        templateId: str("templateId") || undefined,
      };
    },
    definitionSchema.and(z.object({ id: z.uuid().optional() })),
  );
}

export const definitionIdSchema = z.object({ id: z.uuid({ error: "errors.notFound" }) });
export const generateCodesFormSchema = generateCodesSchema.extend({ id: z.uuid({ error: "errors.notFound" }) });

export function issueCertificateFormSchema(currencyDigits: number, normalize: (raw: string) => string | null) {
  return z.preprocess(
    (raw) => {
      const f = (raw ?? {}) as Record<string, unknown>;
      const amount = typeof f.amount === "string" && f.amount.trim() ? majorToMinor(f.amount, currencyDigits) : undefined;
      return {
        id: f.id,
        phone: typeof f.phone === "string" ? f.phone : "",
        amount,
        message: typeof f.message === "string" ? f.message : "",
        sendSms: f.sendSms === "on",
      };
    },
    z.object({
      id: z.uuid({ error: "errors.notFound" }),
      phone: z
        .string()
        .trim()
        .transform((v, ctx) => normalize(v) ?? (ctx.addIssue({ code: "custom", message: "customers.errors.phone" }), z.NEVER)),
      amount: z
        .number({ error: "giftCertificates.errors.nominal" })
        .int({ error: "giftCertificates.errors.nominal" })
        .min(1, { error: "giftCertificates.errors.nominal" })
        .max(BALANCE_MAX)
        .optional(),
      message: text(GIVER_MESSAGE_MAX),
      /** The "text the link to the phone" checkbox. */
      sendSms: z.boolean(),
    }),
  );
}

export const staffRedeemSchema = z.object({
  id: z.uuid({ error: "errors.notFound" }),
  amount: z.string(),
  reason: requiredText(200),
  idempotencyKey: z.string().min(8).max(100),
});
