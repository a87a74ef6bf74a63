import { z } from "zod";
import { CODE_LENGTH_DEFAULT, CODE_LENGTH_MAX, CODE_LENGTH_MIN, GENERATE_MAX } from "@/lib/gift-certificates/codes";
import { multilineText, requiredText, text } from "./common";
import { BALANCE_MAX } from "./limits";

export const DEFINITION_NAME_MAX = 100;
export const RICH_TEXT_MAX = 4000;

const localized = (max: number, multiline = true) =>
  z.object({ en: multiline ? multilineText(max) : text(max), ru: multiline ? multilineText(max) : text(max) });

/** A gift-certificate definition as the cabinet's form and any later API send it. */
export const definitionSchema = z
  .object({
    name: requiredText(DEFINITION_NAME_MAX),
    /** `money`: a nominal in minor units; `product`: one unit of the named product, redeemed whole. */
    valueKind: z.enum(["money", "product"]),
    nominal: z.coerce
      .number()
      .int({ error: "giftCertificates.errors.nominal" })
      .min(1, { error: "giftCertificates.errors.nominal" })
      .max(BALANCE_MAX)
      .optional(),
    product: localized(120, false).optional(),
    locationIds: z.array(z.uuid()).max(100).default([]),
    presentation: localized(RICH_TEXT_MAX),
    terms: localized(RICH_TEXT_MAX),
    validity: z.discriminatedUnion("mode", [
      z.object({ mode: z.literal("fixed"), date: z.iso.date({ error: "giftCertificates.errors.date" }) }),
      z.object({
        mode: z.literal("days"),
        days: z.coerce.number().int().min(1, { error: "giftCertificates.errors.days" }).max(3650, { error: "giftCertificates.errors.days" }),
      }),
    ]),
    partialRedemption: z.boolean().default(true),
    lowPoolThreshold: z.coerce.number().int().min(0).max(1_000_000).default(0),
    /** A template of the gift kind; left out: one is made with the definition's name. */
    templateId: z.uuid().optional(),
  })
  .superRefine((d, ctx) => {
    if (d.valueKind === "money" && d.nominal === undefined) ctx.addIssue({ code: "custom", message: "giftCertificates.errors.nominal", path: ["nominal"] });
    if (d.valueKind === "product" && !(d.product?.en || d.product?.ru))
      ctx.addIssue({ code: "custom", message: "giftCertificates.errors.product", path: ["product", "en"] });
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

export const GIVER_MESSAGE_MAX = 500;
