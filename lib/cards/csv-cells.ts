// Pure (no database, no "server-only"): how each cell of a CSV of cards is checked.
import type { z } from "zod";
import { issueCardSchema, BALANCE_MAX } from "@/lib/validations/cards";
import type { CsvField, CsvMessage } from "./csv-columns";

/** What a cell reader returns for a value it refuses; anything else is the value read. */
export class Invalid {
  constructor(
    readonly message: string,
    readonly params?: CsvMessage["params"],
  ) {}
}
export const invalid = (message: string, params?: CsvMessage["params"]) => new Invalid(message, params);

/** "DD.MM.YYYY" (also "D.M.YYYY"), as Russian Excel writes dates, → "YYYY-MM-DD"; anything else as it is. */
const isoFromSpreadsheet = (value: string) => {
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  return ru ? `${ru[3]}-${ru[2].padStart(2, "0")}-${ru[1].padStart(2, "0")}` : value;
};

// Thousands may be grouped with spaces (as Russian Excel does); "12 34" is a typo, not 1234.
const BALANCE = /^(?:\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)$/;

/** Only the values that repeat down a column (dates, discounts, balances) are worth remembering. */
const MEMO_LIMIT = 10_000;

export type CellReader = (value: string) => unknown;

// A consent cell as spreadsheets write a yes or a no, in English and Russian.
const YES = new Set(["yes", "y", "true", "1", "+", "да", "д", "согласен", "согласна", "agreed", "x", "✓"]);
const NO = new Set(["no", "n", "false", "0", "-", "нет", "н", "не согласен", "не согласна"]);
const readConsent: CellReader = (v) => {
  const value = v.trim().toLowerCase();
  return YES.has(value) ? true : NO.has(value) ? false : invalid("pushEvents.consentImport.cellError");
};

/**
 * The cell readers of one file. Every value is decided by the schema the cabinet form and the REST API
 * use to issue a card (`issueCardSchema`), so the limits are the same everywhere; the CSV only adds
 * the spreadsheet spellings in front of it (DD.MM.YYYY dates, "15 %", "1 500") and keeps its own,
 * column-specific wording for a refusal where it has one.
 */
export function createCellReaders(defaultCountry: string): { standard: Record<CsvField, CellReader>; custom: (key: string) => CellReader } {
  const schema = issueCardSchema(defaultCountry).shape;
  const customer = schema.customer.shape;
  const check =
    (part: z.ZodType, refusal?: (zodMessage: string) => Invalid): CellReader =>
    (value) => {
      const parsed = part.safeParse(value);
      if (parsed.success) return parsed.data;
      const message = parsed.error.issues[0]?.message ?? "validation.invalid";
      return refusal ? refusal(message) : invalid(message);
    };
  // A bulk file tends to repeat one expiry date or discount on every row: check each distinct value once.
  const memo = (read: CellReader): CellReader => {
    const seen = new Map<string, unknown>();
    return (value) => {
      if (seen.has(value)) return seen.get(value);
      const result = read(value);
      if (seen.size < MEMO_LIMIT) seen.set(value, result);
      return result;
    };
  };
  const balance = check(schema.balance, () => invalid("cards.csv.errors.balance", { max: BALANCE_MAX }));
  const discount = check(schema.discount, () => invalid("cards.csv.errors.discount"));
  const expiresAt = check(schema.expiresAt, (m) => invalid(m === "cards.errors.expiryPast" ? "cards.csv.errors.expiryPast" : "cards.csv.errors.expiry"));
  const birthday = check(customer.birthday);
  return {
    standard: {
      phone: check(customer.phone),
      email: check(customer.email),
      name: check(customer.name),
      birthday: memo((v) => birthday(isoFromSpreadsheet(v))),
      balance: memo((v) => (BALANCE.test(v) ? balance(v.replace(/\D/g, "")) : invalid("cards.csv.errors.balance", { max: BALANCE_MAX }))),
      discount: memo((v) => {
        const percent = v.replace(/\s*%$/, "");
        return percent ? discount(percent) : invalid("cards.csv.errors.discount");
      }),
      // The schema would also take a date with a time; a spreadsheet cell holds a day.
      expiresAt: memo((v) => {
        const iso = isoFromSpreadsheet(v);
        return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? expiresAt(iso) : invalid("cards.csv.errors.expiry");
      }),
      number: check(schema.number, () => invalid("cards.csv.errors.number")),
      marketingConsent: readConsent,
    },
    custom: (key) => {
      const values = schema.custom;
      return (value) => {
        const parsed = values.safeParse({ [key]: value });
        return parsed.success ? parsed.data?.[key] : invalid(parsed.error.issues[0]?.message ?? "validation.invalid");
      };
    },
  };
}
