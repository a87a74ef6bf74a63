// Pure (no database, no "server-only"): how the header row of a CSV of cards is read.
import { normalizePhone } from "@/lib/customers/phone";
import { stripControlChars } from "@/lib/validations/common";

/** Each is also the key of its value in CsvValidRow. */
export type CsvField = "phone" | "email" | "name" | "birthday" | "balance" | "discount" | "expiresAt" | "number" | "marketingConsent";
/** A standard field, or `custom:<key>` for a template's custom field. */
export type CsvColumnField = CsvField | `custom:${string}`;
/** `message` is a translation key; `params` fill its placeholders. */
export type CsvMessage = { message: string; params?: Record<string, string | number> };
export type CsvColumn = { header: string; field: CsvColumnField | null };

// Headers as people write them in English and Russian spreadsheets, compared after normalizeHeader.
const SYNONYMS: Record<CsvField, string[]> = {
  phone: ["phone", "phone number", "tel", "tel.", "telephone", "mobile", "телефон", "тел", "тел.", "номер телефона", "мобильный"],
  email: ["email", "e-mail", "mail", "почта", "эл. почта", "эл.почта", "электронная почта"],
  name: ["name", "full name", "имя", "фио", "ф.и.о."],
  birthday: ["birthday", "birth date", "date of birth", "дата рождения", "день рождения"],
  // `amount`/`сумма`: a gift certificate's value in a phone list (lib/gift-certificates/phone-import).
  balance: ["balance", "points", "баланс", "баллы", "бонусы", "amount", "nominal", "сумма", "номинал"],
  discount: ["discount", "discount %", "discount, %", "скидка", "скидка %", "скидка, %"],
  expiresAt: ["expires", "expiry", "expiry date", "expiration date", "valid until", "срок действия", "действует до"],
  number: ["number", "card number", "card no", "номер", "номер карты"],
  marketingConsent: [
    "consent",
    "marketing consent",
    "news consent",
    "sms consent",
    "согласие",
    "согласие на рассылку",
    "согласие на новости",
    "согласие на смс",
  ],
};
const FIELD_BY_HEADER = new Map(Object.entries(SYNONYMS).flatMap(([field, names]) => names.map((n) => [n, field as CsvField])));

const normalizeHeader = (h: string) => h.trim().toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ");

/** The delimiter that splits the header line most: `;` from Russian Excel, tab from copy-paste, else `,`. */
export function detectDelimiter(headerLine: string): string {
  const candidates = [",", ";", "\t"];
  const counts = [0, 0, 0];
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && candidates.includes(ch)) counts[candidates.indexOf(ch)]++;
  }
  return candidates[counts.indexOf(Math.max(...counts))];
}

export type Mapped = { index: number; header: string; field: CsvColumnField; customKey: string };

export function mapColumns(headers: string[], { customKeys, defaultCountry }: { customKeys: string[]; defaultCountry: string }) {
  const customByName = new Map(customKeys.map((k) => [k.toLowerCase(), k]));
  const columns: CsvColumn[] = [];
  const mapped: Mapped[] = [];
  const fileErrors: CsvMessage[] = [];
  const warnings: CsvMessage[] = [];
  const unnamed: number[] = [];
  const taken = new Set<string>();
  headers.forEach((raw, index) => {
    // The header is shown back and stored with each row's errors: a control character in it is dropped.
    const header = stripControlChars(raw);
    const name = normalizeHeader(header);
    // A bare custom key loses to a standard field of the same name; "custom:<key>" always means the custom field.
    const prefixed = name.startsWith("custom:") ? customByName.get(name.slice(7).trim()) : undefined;
    const customKey = prefixed ?? (FIELD_BY_HEADER.has(name) ? undefined : customByName.get(name));
    const field: CsvColumnField | null = customKey ? `custom:${customKey}` : (FIELD_BY_HEADER.get(name) ?? null);
    columns.push({ header, field });
    if (!field) {
      if (header) warnings.push({ message: "cards.csv.warnings.unknownColumn", params: { column: header } });
      else unnamed.push(index);
    } else if (taken.has(field)) {
      fileErrors.push({ message: "cards.csv.errors.duplicateColumn", params: { column: header } });
    } else {
      taken.add(field);
      mapped.push({ index, header, field, customKey: customKey ?? "" });
    }
  });
  if (!taken.has("phone")) {
    // A first row that holds a phone is data: say that the header is missing, not the phone column.
    const looksLikeData = headers.some((h) => /\d{5}/.test(h) && normalizePhone(h, defaultCountry) !== null);
    fileErrors.push({ message: looksLikeData ? "cards.csv.errors.headerMissing" : "cards.csv.errors.phoneColumnMissing" });
  }
  return { columns, mapped, fileErrors, warnings, unnamed };
}
