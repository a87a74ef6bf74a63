import { z } from "zod";
import { requiredText, text } from "./common";
import { POINTS_MAX } from "./ledger";

/**
 * The card page's points forms (cabinet actions). Each form render carries its own key, so a form
 * sent twice (a double click, a retried request) posts once: the ledger answers the second with the
 * first one's transaction.
 */

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const compact = (v: string) => v.replace(/[\s\u00a0]/g, "");

/** Whole points typed into a form: "1 250" reads as 1250; signed only where `signed`. */
const pointsField = (signed: boolean, error: string) =>
  z.preprocess(
    (v) => (blank(v) ? undefined : typeof v === "string" ? (/^[-+]?\d+$/.test(compact(v)) ? Number(compact(v)) : Number.NaN) : v),
    z
      .number({ error })
      .int({ error })
      .min(signed ? -POINTS_MAX : 1, { error })
      .max(POINTS_MAX, { error })
      .refine((n) => n !== 0, { error }),
  );

const optionalText = (max: number) => z.preprocess((v) => (blank(v) ? undefined : v), text(max).optional());
const optionalUuid = (error: string) => z.preprocess((v) => (blank(v) ? undefined : v), z.uuid({ error }).optional());

/** A form render's idempotency key (a UUID made in the browser); the action prefixes it so a till's keys never meet it. */
const formKey = z.uuid({ error: "points.errors.formKey" });

export const postPointsFormSchema = z.object({
  id: z.uuid({ error: "errors.notFound" }),
  key: formKey,
  op: z.enum(["accrue", "redeem"], { error: "points.errors.op" }),
  points: pointsField(false, "points.errors.points"),
  receipt: optionalText(64),
  locationId: optionalUuid("ledger.errors.location"),
});

export const adjustPointsFormSchema = z.object({
  id: z.uuid({ error: "errors.notFound" }),
  key: formKey,
  /** The card's update tag when the form was drawn: a change since (another adjustment, a purchase) is refused. */
  expectedTag: z.coerce.number().int(),
  points: pointsField(true, "points.errors.adjustPoints"),
  reason: requiredText(200),
});

/** A reversal: of points, or (purchases) of money refunded, typed in the currency's major unit ("150.50"). */
export const reversePointsFormSchema = z.object({
  id: z.uuid({ error: "errors.notFound" }),
  key: formKey,
  points: z.preprocess((v) => (blank(v) ? undefined : v), pointsField(false, "points.errors.points").optional()),
  amount: z.preprocess(
    (v) => (blank(v) ? undefined : typeof v === "string" ? compact(v).replace(",", ".") : v),
    z
      .string()
      .regex(/^\d{1,10}(\.\d{1,3})?$/, { error: "points.errors.amount" })
      .optional(),
  ),
  reason: optionalText(200),
});

/** "150.5" in a currency with `digits` decimals → minor units (15050); null when it has more decimals than the currency. */
export function majorToMinor(value: string, digits: number): number | null {
  const [whole, fraction = ""] = value.split(".");
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}
