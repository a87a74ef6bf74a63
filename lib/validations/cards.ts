import { z } from "zod";
import { CARD_STATUSES } from "@/lib/cards/statuses";
import { searchText, text } from "./common";
import { customerFieldsSchema, isoDate } from "./customers";
import { BALANCE_MAX, CUSTOM_VALUE_MAX, DISCOUNT_MAX, OWN_NUMBER_PATTERN } from "./limits";

export { BALANCE_MAX, CUSTOM_VALUE_MAX, DISCOUNT_MAX } from "./limits";

// Forms send "" for an untouched field and API clients send null or leave it out.
const blank = (v: unknown) => v === "" || v === undefined || (typeof v === "string" && v.trim() === "");

/** A whole number from a form ("1 250") or JSON (1250); blank means "not given". */
const wholeNumber = (min: number, max: number, rangeKey: string) =>
  z.preprocess(
    (v) =>
      blank(v) || v === null
        ? undefined
        : typeof v === "string"
          ? /^[-+]?\d+$/.test(v.replace(/[\s\u00a0]/g, ""))
            ? Number(v.replace(/[\s\u00a0]/g, ""))
            : Number.NaN
          : v,
    z
      .number({ error: "validation.wholeNumber" })
      .int({ error: "validation.wholeNumber" })
      .min(min, { error: rangeKey })
      .max(max, { error: rangeKey })
      .optional(),
  );

export const balanceSchema = wholeNumber(0, BALANCE_MAX, "cards.errors.balance");
export const discountSchema = wholeNumber(0, DISCOUNT_MAX, "cards.errors.discount");

/**
 * An expiry date: `YYYY-MM-DD` (the card works until the end of that day, UTC) or an ISO date-time;
 * null (or "" from a form) clears it. A date already past is refused: to stop a card, block it.
 */
export const expirySchema = z.preprocess(
  (v) => (v === "" ? null : v),
  z.union([z.null(), z.string()]).transform((v, ctx) => {
    if (v === null) return null;
    const day = isoDate(v.trim());
    const date = day ? new Date(`${day}T23:59:59Z`) : /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) ctx.addIssue({ code: "custom", message: "cards.errors.expiryFormat" });
    else if (date.getTime() <= Date.now()) ctx.addIssue({ code: "custom", message: "cards.errors.expiryPast" });
    return date;
  }),
);

const customValues = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, { error: "cards.errors.customKey" }), text(CUSTOM_VALUE_MAX));

export const cardValuesSchema = z.object({ balance: balanceSchema, discount: discountSchema, custom: customValues.optional() });

/** A merchant's own card number (e.g. from plastic cards): letters, digits and dashes. */
export const ownNumberSchema = z.preprocess(
  (v) => (blank(v) || v === null ? undefined : typeof v === "string" ? v.trim().toUpperCase() : v),
  z.string().regex(OWN_NUMBER_PATTERN, { error: "cards.errors.numberFormat" }).optional(),
);

const id = z.uuid({ error: "errors.notFound" });

/** A yes/no from JSON (true/false) or a form checkbox ("on" when ticked, absent when not). */
const flag = z.preprocess(
  (v) => (v === "on" || v === "true" ? true : v === "" || v === "false" || v === null ? false : v),
  z.boolean({ error: "api.errors.boolean" }).optional(),
);

export const issueCardSchema = (defaultCountry: string) =>
  z.object({
    templateId: z.uuid({ error: "cards.errors.template" }),
    customer: customerFieldsSchema(defaultCountry),
    balance: balanceSchema,
    discount: discountSchema,
    custom: customValues.optional(),
    expiresAt: expirySchema.optional(),
    number: ownNumberSchema,
    /** One card per phone per template: true issues another to a phone that already holds one. */
    allowDuplicate: flag,
  });
export type IssueCardInput = z.output<ReturnType<typeof issueCardSchema>>;

/** The status a caller may set; the rest (issued, installed, removed, expired) follows from what happens. */
export const SETTABLE_STATES = ["active", "blocked", "deactivated"] as const;
export type SettableState = (typeof SETTABLE_STATES)[number];

export const patchCardSchema = z
  .object({
    values: cardValuesSchema.optional(),
    expiresAt: expirySchema.optional(),
    status: z.enum(SETTABLE_STATES, { error: "cards.errors.status" }).optional(),
  })
  .refine((v) => v.values !== undefined || v.expiresAt !== undefined || v.status !== undefined, { error: "cards.errors.nothingToChange" });

export const listCardsQuerySchema = z.object({
  q: searchText(100),
  template: z.uuid().optional().catch(undefined),
  status: z.enum(CARD_STATUSES).optional().catch(undefined),
});

/** Cabinet forms post flat names (`customer.phone`, `custom.tier`); this nests them like the API's JSON. */
export function nestFormFields(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const [head, ...rest] = key.split(".");
    if (!rest.length) out[key] = value;
    else out[head] = { ...((out[head] as Record<string, unknown>) ?? {}), [rest.join(".")]: value };
  }
  return out;
}

const withTag = { id, expectedTag: z.coerce.number().int() };

export const issueCardFormSchema = (defaultCountry: string) => z.preprocess(nestFormFields, issueCardSchema(defaultCountry));
/** The card page's Values form: discount and custom values. No balance: it moves only through the ledger (Points → Adjust, with a reason and a key). */
export const updateCardValuesFormSchema = z.preprocess(
  nestFormFields,
  z.object({ ...withTag, discount: cardValuesSchema.shape.discount, custom: cardValuesSchema.shape.custom }),
);
export const setCardExpiryFormSchema = z.object({ ...withTag, expiresAt: expirySchema });
export const setCardStateFormSchema = z.object({ id, state: z.enum(SETTABLE_STATES) });
export const moveCardFormSchema = z.object({ id, templateId: z.uuid({ error: "cards.errors.template" }) });
export const cardIdFormSchema = z.object({ id });
export const updateCustomerFormSchema = (defaultCountry: string) =>
  z.preprocess(nestFormFields, z.object({ id, customer: customerFieldsSchema(defaultCountry) }));
