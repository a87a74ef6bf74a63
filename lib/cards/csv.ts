// Pure (no database, no "server-only"): the import page can preview a file in the browser before upload.
import { normalizePhone } from "@/lib/customers/phone";
import { CONTROL_CHARS_ERROR, email, hasControlChars, stripControlChars } from "@/lib/validations/common";
import { CUSTOMER_NAME_MAX, isBirthdayInRange, isoDate } from "@/lib/validations/customers";
import { BALANCE_MAX, CUSTOM_VALUE_MAX, DISCOUNT_MAX, OWN_NUMBER_PATTERN } from "@/lib/validations/limits";

export const CSV_MAX_ROWS = 50_000;

/** Each is also the key of its value in CsvValidRow. */
export type CsvField = "phone" | "email" | "name" | "birthday" | "balance" | "discount" | "expiresAt" | "number";
/** A standard field, or `custom:<key>` for a template's custom field. */
export type CsvColumnField = CsvField | `custom:${string}`;
/** `message` is a translation key; `params` fill its placeholders. */
export type CsvMessage = { message: string; params?: Record<string, string | number> };
export type CsvColumn = { header: string; field: CsvColumnField | null };
export type CsvValidRow = {
  /** Physical line the record starts on; the header is line 1 when the file starts with it. */
  line: number;
  /** E.164. */
  phone: string;
  email?: string;
  name?: string;
  /** YYYY-MM-DD, like the customers.birthday column. */
  birthday?: string;
  balance?: number;
  discount?: number;
  /** 23:59:59 UTC of the last valid day. */
  expiresAt?: Date;
  /** The merchant's own card number, when the file brings one. */
  number?: string;
  /** Values by the template's custom field key; blank cells are left out. */
  custom: Record<string, string>;
};
/** `column` is the header as written in the file, `field` what it was read as. */
export type CsvRowError = CsvMessage & { line: number; column: string; field: CsvColumnField };
export type CsvParseResult = {
  /** False only for file-level errors; rows and errors are then empty, so nothing half-read gets issued. */
  ok: boolean;
  fileErrors: CsvMessage[];
  columns: CsvColumn[];
  warnings: CsvMessage[];
  rows: CsvValidRow[];
  errors: CsvRowError[];
  /** Data rows in the file, blank lines not counted. */
  total: number;
};
export type CsvParseOptions = { defaultCountry: string; customKeys: string[]; maxRows?: number; now?: Date };

// Headers as people write them in English and Russian spreadsheets, compared after normalizeHeader.
const SYNONYMS: Record<CsvField, string[]> = {
  phone: ["phone", "phone number", "tel", "tel.", "telephone", "mobile", "телефон", "тел", "тел.", "номер телефона", "мобильный"],
  email: ["email", "e-mail", "mail", "почта", "эл. почта", "эл.почта", "электронная почта"],
  name: ["name", "full name", "имя", "фио", "ф.и.о."],
  birthday: ["birthday", "birth date", "date of birth", "дата рождения", "день рождения"],
  balance: ["balance", "points", "баланс", "баллы", "бонусы"],
  discount: ["discount", "discount %", "discount, %", "скидка", "скидка %", "скидка, %"],
  expiresAt: ["expires", "expiry", "expiry date", "expiration date", "valid until", "срок действия", "действует до"],
  number: ["number", "card number", "card no", "номер", "номер карты"],
};
const FIELD_BY_HEADER = new Map(Object.entries(SYNONYMS).flatMap(([field, names]) => names.map((n) => [n, field as CsvField])));

const normalizeHeader = (h: string) => h.trim().toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ");

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * RFC 4180 records, each with the line it starts on, in one pass. Lenient where Excel and hand edits
 * are: a stray quote inside an unquoted field is text, and so is text after a closing quote.
 * Returns the line of a quote that is never closed (which would swallow the rest of the file), or 0.
 */
function readRecords(text: string, delimiter: number, onRecord: (fields: string[], line: number) => void): number {
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = "";
      if (text.charCodeAt(i) === QUOTE) {
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) return line;
          value += text.slice(from, q);
          if (text.charCodeAt(q + 1) !== QUOTE) {
            i = q + 1;
            break;
          }
          value += '"';
          from = q + 2;
        }
        if (value.includes("\r") || value.includes("\n")) {
          value = value.replace(/\r\n?/g, "\n");
          line += value.split("\n").length - 1;
        }
      }
      let j = i;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === delimiter || c === LF || c === CR) break;
      }
      fields.push(j > i ? value + text.slice(i, j) : value);
      i = j;
      // After a delimiter another field follows, even an empty one at the end of the line or file.
      if (i < n && text.charCodeAt(i) === delimiter) i++;
      else break;
    }
    if (i < n && text.charCodeAt(i) === CR) i++;
    if (i < n && text.charCodeAt(i) === LF) i++;
    line++;
    onRecord(fields, start);
  }
  return 0;
}

/** The delimiter that splits the header line most: `;` from Russian Excel, tab from copy-paste, else `,`. */
function detectDelimiter(text: string): number {
  const header = /[^\r\n]*\S[^\r\n]*/.exec(text)?.[0] ?? "";
  const candidates = [",", ";", "\t"];
  const counts = [0, 0, 0];
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && candidates.includes(ch)) counts[candidates.indexOf(ch)]++;
  }
  const best = counts.indexOf(Math.max(...counts));
  return candidates[best].charCodeAt(0);
}

/** "YYYY-MM-DD" or Russian Excel's "DD.MM.YYYY" (also "D.M.YYYY") → ISO date, or null. */
function parseDate(value: string): string | null {
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  return isoDate(ru ? `${ru[3]}-${ru[2].padStart(2, "0")}-${ru[1].padStart(2, "0")}` : value);
}

type Mapped = { index: number; header: string; field: CsvColumnField; customKey: string };

function mapColumns(headers: string[], { customKeys, defaultCountry }: CsvParseOptions) {
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

const BALANCE = /^(?:\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)$/;
const DISCOUNT = /^(\d{1,3})\s*%?$/;
const LINE_SPACE = /[\t\n\r]+/g;

/** What a cell reader returns for a value it refuses; anything else is the value read. */
class Invalid {
  constructor(readonly message: string, readonly params?: CsvMessage["params"]) {}
}
const invalid = (message: string, params?: CsvMessage["params"]) => new Invalid(message, params);

function createCellReaders(defaultCountry: string, now: Date): Record<CsvField, (value: string) => unknown> {
  const emailField = email();
  // A bulk file tends to repeat one expiry date on every row: read each distinct date once.
  const dates = new Map<string, string | null>();
  const date = (value: string) => {
    let iso = dates.get(value);
    if (iso === undefined) dates.set(value, (iso = parseDate(value)));
    return iso;
  };
  return {
    phone: (v) => normalizePhone(v, defaultCountry) ?? invalid("customers.errors.phone"),
    email: (v) => {
      const parsed = emailField.safeParse(v);
      return parsed.success ? parsed.data : invalid(parsed.error.issues[0]?.message ?? "validation.email");
    },
    name: (v) => (v.length > CUSTOMER_NAME_MAX ? invalid("validation.tooLong") : v),
    birthday: (v) => {
      const iso = date(v);
      return iso && isBirthdayInRange(iso, now) ? iso : invalid("customers.errors.birthday");
    },
    balance: (v) => {
      const balance = BALANCE.test(v) ? Number(v.replace(/\D/g, "")) : Number.NaN;
      return balance <= BALANCE_MAX ? balance : invalid("cards.csv.errors.balance", { max: BALANCE_MAX });
    },
    discount: (v) => {
      const discount = Number(DISCOUNT.exec(v)?.[1] ?? Number.NaN);
      return discount <= DISCOUNT_MAX ? discount : invalid("cards.csv.errors.discount");
    },
    expiresAt: (v) => {
      const iso = date(v);
      if (!iso) return invalid("cards.csv.errors.expiry");
      const expiresAt = new Date(`${iso}T23:59:59Z`);
      return expiresAt < now ? invalid("cards.csv.errors.expiryPast") : expiresAt;
    },
    number: (v) => (OWN_NUMBER_PATTERN.test(v) ? v : invalid("cards.csv.errors.number")),
  };
}

const DUPLICATE = { phone: "cards.csv.errors.duplicatePhone", number: "cards.csv.errors.duplicateNumber" } as const;

/** Checks one data row after another; duplicates are found with maps, so the whole file is one pass. */
function createRowReader(mapped: Mapped[], options: CsvParseOptions, now: Date, out: Pick<CsvParseResult, "rows" | "errors">) {
  const cells = createCellReaders(options.defaultCountry, now);
  const firstLines = { phone: new Map<string, number>(), number: new Map<string, number>() };
  const columns = mapped.map((col) => {
    const standard = col.customKey ? null : (col.field as CsvField);
    const read = standard ? cells[standard] : (v: string) => (v.length > CUSTOM_VALUE_MAX ? invalid("validation.tooLong") : v);
    const unique = standard === "phone" || standard === "number" ? standard : null;
    return { ...col, standard, read, unique };
  });

  return (fields: string[], line: number) => {
    const row: CsvValidRow = { line, phone: "", custom: {} };
    const errorsBefore = out.errors.length;
    for (const col of columns) {
      // Every field is single-line text: a line break or tab inside a cell (Alt+Enter in Excel) becomes a
      // space; NUL and the other control characters are refused for the line.
      const raw = (fields[col.index] ?? "").replace(LINE_SPACE, " ").trim();
      if (!raw && col.standard !== "phone") continue;
      let value = hasControlChars(raw) ? invalid(CONTROL_CHARS_ERROR) : raw ? col.read(raw) : invalid("cards.csv.errors.phoneRequired");
      if (col.unique && !(value instanceof Invalid)) {
        const first = firstLines[col.unique].get(value as string);
        if (first === undefined) firstLines[col.unique].set(value as string, line);
        else value = invalid(DUPLICATE[col.unique], { first });
      }
      if (value instanceof Invalid) {
        const { message, params } = value;
        out.errors.push(params ? { line, column: col.header, field: col.field, message, params } : { line, column: col.header, field: col.field, message });
      } else if (col.standard) (row as Partial<Record<CsvField, unknown>>)[col.standard] = value;
      else row.custom[col.customKey] = value as string;
    }
    if (out.errors.length === errorsBefore) out.rows.push(row);
  };
}

const isBlank = (fields: string[]) => fields.every((f) => f.trim() === "");

/**
 * Reads a CSV of cards to issue in bulk: the header names the columns (English or Russian, any case),
 * each data row becomes a valid row or a list of errors with its line. Nothing here touches the
 * database; phones and own card numbers already taken by other cards are the importer's to check.
 */
export function parseCardsCsv(text: string, options: CsvParseOptions): CsvParseResult {
  const maxRows = options.maxRows ?? CSV_MAX_ROWS;
  const now = options.now ?? new Date();
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const result: CsvParseResult = { ok: true, fileErrors: [], columns: [], warnings: [], rows: [], errors: [], total: 0 };
  let readRow: ((fields: string[], line: number) => void) | null = null;
  let unnamed: number[] = [];
  let headerSeen = false;

  const unclosedAt = readRecords(source, detectDelimiter(source), (fields, line) => {
    if (isBlank(fields)) return;
    if (!headerSeen) {
      headerSeen = true;
      const header = mapColumns(fields, options);
      result.columns = header.columns;
      result.warnings = header.warnings;
      result.fileErrors = header.fileErrors;
      unnamed = header.unnamed;
      if (!header.fileErrors.length) readRow = createRowReader(header.mapped, options, now, result);
      return;
    }
    result.total++;
    // Data under a column with no name is dropped: say so once rather than silently.
    if (unnamed.length) {
      const filled = unnamed.filter((i) => fields[i]?.trim());
      for (const i of filled) result.warnings.push({ message: "cards.csv.warnings.unnamedColumn", params: { position: i + 1 } });
      if (filled.length) unnamed = unnamed.filter((i) => !filled.includes(i));
    }
    if (readRow && result.total <= maxRows) readRow(fields, line);
  });

  if (unclosedAt) result.fileErrors.push({ message: "cards.csv.errors.unclosedQuote", params: { line: unclosedAt } });
  if (!headerSeen) result.fileErrors.push({ message: "cards.csv.errors.empty" });
  else if (result.total === 0 && !result.fileErrors.length) result.fileErrors.push({ message: "cards.csv.errors.noRows" });
  if (result.total > maxRows) result.fileErrors.push({ message: "cards.csv.errors.tooManyRows", params: { max: maxRows } });
  if (result.fileErrors.length) Object.assign(result, { ok: false, rows: [], errors: [] });
  return result;
}
