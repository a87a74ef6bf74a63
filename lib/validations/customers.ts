import { z } from "zod";
import { normalizePhone } from "@/lib/customers/phone";
import { email, text } from "./common";

export const CUSTOMER_NAME_MAX = 120;
export const BIRTHDAY_MIN = "1900-01-01";

/** `YYYY-MM-DD` that is a real calendar day (no 31 April, 29 February only in leap years), else null. */
export function isoDate(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? value : null;
}

/**
 * A birthday from 1900 up to today. "Today" is taken in the earliest time zone (UTC+14), so a customer
 * born today east of the server is never told their birthday is in the future.
 */
export function isBirthdayInRange(iso: string, now: Date = new Date()): boolean {
  const latest = new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
  return iso >= BIRTHDAY_MIN && iso <= latest;
}

// Forms send "" for an untouched field and API clients send null: both mean "not given".
const blankToUndefined = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const phone = (defaultCountry: string) =>
  z.preprocess(
    blankToUndefined,
    z.string({ error: (issue) => (issue.input === undefined ? "validation.required" : "customers.errors.phone") }).transform((value, ctx) => {
      const e164 = normalizePhone(value, defaultCountry);
      if (!e164) ctx.addIssue({ code: "custom", message: "customers.errors.phone", input: value });
      return e164 ?? z.NEVER;
    }),
  );

const birthday = () =>
  z
    .string({ error: "customers.errors.birthday" })
    .trim()
    .refine((v) => isoDate(v) !== null && isBirthdayInRange(v), { error: "customers.errors.birthday" });

/**
 * A card holder as typed in the cabinet form, the enrolment page or the API. The phone is required and
 * comes out in E.164, read in the merchant's country (`defaultCountry`, ISO 3166 alpha-2) when typed in
 * national form; the rest is optional and comes out undefined when blank.
 */
export const customerFieldsSchema = (defaultCountry: string) =>
  z.object({
    phone: phone(defaultCountry),
    email: optional(email()),
    name: optional(text(CUSTOMER_NAME_MAX)),
    birthday: optional(birthday()),
  });

export type CustomerFieldsInput = z.input<ReturnType<typeof customerFieldsSchema>>;
export type CustomerFields = z.output<ReturnType<typeof customerFieldsSchema>>;
