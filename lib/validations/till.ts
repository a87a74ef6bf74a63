import { z } from "zod";
import { requiredText } from "./common";

const digits = (error: string) =>
  z
    .string({ error })
    .trim()
    .regex(/^\d{4,8}$/, { error })
    .meta({ description: "The digits the customer received (an SMS code, or the last digits of the calling number)." });

export const confirmCodeSchema = z.object({ code: digits("till.errors.codeFormat") });
export const verifyPinSchema = z.object({ pin: digits("till.errors.codeFormat") });

export const TILL_NAME_MAX = 80;

export const tillFormSchema = z.object({
  name: requiredText(TILL_NAME_MAX),
  locationId: z.preprocess((v) => (v === "" ? undefined : v), z.uuid({ error: "till.errors.location" }).optional()),
});

const wholeNumber = (error: string, min: number, max: number) => z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
const optionalWhole = (error: string, min: number, max: number) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), wholeNumber(error, min, max).optional());

/** A range of pre-printed numbers (Settings → Tills → Card stock): prefix + from–to, or from + a count. */
export const cardStockSchema = z
  .object({
    templateId: z.uuid({ error: "cards.errors.template" }),
    prefix: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9-]{0,12}$/, { error: "cards.errors.numberFormat" })
      .default(""),
    from: wholeNumber("validation.number", 0, 999_999_999_999),
    to: optionalWhole("validation.number", 0, 999_999_999_999),
    count: optionalWhole("validation.number", 1, 100_000),
    digits: z.preprocess((v) => (v === "" || v === undefined ? 8 : v), wholeNumber("validation.number", 1, 16)),
    balance: z.preprocess((v) => (v === "" || v === undefined ? 0 : v), wholeNumber("validation.number", 0, 100_000_000)),
    discount: z.preprocess((v) => (v === "" || v === undefined ? 0 : v), wholeNumber("validation.number", 0, 100)),
  })
  .refine((v) => v.to !== undefined || v.count !== undefined, { error: "till.errors.rangeOrder", path: ["to"] });
export type CardStockInput = z.output<typeof cardStockSchema>;

const optionalLimit = z.preprocess(
  (v) => (v === "" || v === undefined || v === null ? null : v),
  z.coerce
    .number({ error: "validation.wholeNumber" })
    .int({ error: "validation.wholeNumber" })
    .min(1, { error: "validation.wholeNumber" })
    .max(100_000_000)
    .nullable(),
);

/** Settings → Tills → rules: guard rails (empty: off), phone lookup without a PIN, the code channel, the counter template. */
export const tillRulesSchema = z.object({
  redeemPerCardPerDay: optionalLimit,
  redeemPerTillPerHour: optionalLimit,
  phoneWithoutPin: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  confirmChannel: z.enum(["sms", "call"]).default("sms"),
  issueTemplateId: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.uuid({ error: "cards.errors.template" }).nullable()),
});
