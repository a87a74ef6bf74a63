// Pure (no database, no "server-only"): reads a CSV of cards to issue, whole or as it streams in.
import { parse as createParser, type CsvError } from "csv-parse";
import { CSV_IMPORT_MAX_ROWS } from "@/lib/files/limits";
import { CONTROL_CHARS_ERROR, hasControlChars } from "@/lib/validations/common";
import { createCellReaders, Invalid, invalid } from "./csv-cells";
import { detectDelimiter, mapColumns, type CsvColumn, type CsvColumnField, type CsvField, type CsvMessage, type Mapped } from "./csv-columns";

export type { CsvColumn, CsvColumnField, CsvField, CsvMessage } from "./csv-columns";

export const CSV_MAX_ROWS = CSV_IMPORT_MAX_ROWS;

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
  /** The merchant's own card number, when the file brings one (upper-case, as the API stores it). */
  number?: string;
  /** The consent column: true gives marketing consent, false withdraws it; blank leaves it as it is. */
  marketingConsent?: boolean;
  /** Values by the template's custom field key; blank cells are left out. */
  custom: Record<string, string>;
};
/** `column` is the header as written in the file, `field` what it was read as. */
export type CsvRowError = CsvMessage & { line: number; column: string; field: CsvColumnField };
/** What a whole file came to; the rows themselves went to the reader's callbacks. */
export type CsvSummary = {
  /** False only for file-level errors: then nothing of the file may be issued. */
  ok: boolean;
  fileErrors: CsvMessage[];
  columns: CsvColumn[];
  warnings: CsvMessage[];
  /** Data rows in the file, blank lines not counted. */
  total: number;
  valid: number;
  /** Rows refused for one or more errors. */
  invalid: number;
};
export type CsvParseResult = Omit<CsvSummary, "valid" | "invalid"> & { rows: CsvValidRow[]; errors: CsvRowError[] };
export type CsvParseOptions = { defaultCountry: string; customKeys: string[]; maxRows?: number };
export type CsvReaderOptions = CsvParseOptions & { onRow: (row: CsvValidRow) => void; onError: (error: CsvRowError) => void };

const LINE_SPACE = /[\t\n\r]+/g;
const LINE_BREAKS = /\r\n?|\n/g;
/** A header line this long without a line break is not a header: start anyway and let the parser judge. */
const HEADER_SCAN_MAX = 64 * 1024;
const DUPLICATE = { phone: "cards.csv.errors.duplicatePhone", number: "cards.csv.errors.duplicateNumber" } as const;

/** Checks one data row after another; duplicates are found with maps, so the whole file is one pass. */
function createRowReader(mapped: Mapped[], options: CsvReaderOptions) {
  const cells = createCellReaders(options.defaultCountry);
  const firstLines = { phone: new Map<string, number>(), number: new Map<string, number>() };
  const columns = mapped.map((col) => {
    const standard = col.customKey ? null : (col.field as CsvField);
    const read = standard ? cells.standard[standard] : cells.custom(col.customKey);
    const unique = standard === "phone" || standard === "number" ? standard : null;
    return { ...col, standard, read, unique };
  });

  /** True when the row is valid. */
  return (fields: string[], line: number): boolean => {
    const row: CsvValidRow = { line, phone: "", custom: {} };
    let ok = true;
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
        ok = false;
        const { message, params } = value;
        options.onError(params ? { line, column: col.header, field: col.field, message, params } : { line, column: col.header, field: col.field, message });
      } else if (value === undefined) continue;
      else if (col.standard) (row as Partial<Record<CsvField, unknown>>)[col.standard] = value;
      else row.custom[col.customKey] = value as string;
    }
    if (ok) options.onRow(row);
    return ok;
  };
}

const isBlank = (fields: string[]) => fields.every((f) => f.trim() === "");
const breaksIn = (fields: string[]) => fields.reduce((n, f) => (f.includes("\n") || f.includes("\r") ? n + (f.match(LINE_BREAKS)?.length ?? 0) : n), 0);

/**
 * Reads a CSV of cards as it arrives, through csv-parse (RFC 4180 quotes, a byte order mark, any line
 * ends; lenient with a stray quote inside a field, as Excel and hand edits are). The header names the
 * columns (English or Russian, any case); each data row goes to `onRow` when valid, else each of its
 * errors to `onError`, with the line it starts on. `write` handles what it is given before it returns,
 * so a caller can pause between chunks; `end` says what the whole file came to. Nothing here touches
 * the database; phones already holding a card are the importer's to check.
 */
export function createCardsCsvReader(options: CsvReaderOptions) {
  const maxRows = options.maxRows ?? CSV_MAX_ROWS;
  const summary: CsvSummary = { ok: true, fileErrors: [], columns: [], warnings: [], total: 0, valid: 0, invalid: 0 };
  let readRow: ((fields: string[], line: number) => boolean) | null = null;
  let unnamed: number[] = [];
  let headerSeen = false;
  let head = "";
  let parser: ReturnType<typeof createParser> | null = null;
  // csv-parse's own line count (info.lines) counts a CRLF inside quotes twice: count from each record instead.
  let nextLine = 1;
  let failure: { error: CsvError | Error; line: number } | null = null;
  let thrown: unknown = null;

  const onRecord = (fields: string[]) => {
    const line = nextLine;
    nextLine += 1 + breaksIn(fields);
    if (failure || isBlank(fields)) return;
    if (!headerSeen) {
      headerSeen = true;
      const header = mapColumns(fields, options);
      Object.assign(summary, { columns: header.columns, warnings: header.warnings, fileErrors: header.fileErrors });
      unnamed = header.unnamed;
      if (!header.fileErrors.length) readRow = createRowReader(header.mapped, options);
      return;
    }
    summary.total++;
    // Data under a column with no name is dropped: say so once rather than silently.
    if (unnamed.length) {
      const filled = unnamed.filter((i) => fields[i]?.trim());
      for (const i of filled) summary.warnings.push({ message: "cards.csv.warnings.unnamedColumn", params: { position: i + 1 } });
      if (filled.length) unnamed = unnamed.filter((i) => !filled.includes(i));
    }
    if (readRow && summary.total <= maxRows) {
      if (readRow(fields, line)) summary.valid++;
      else summary.invalid++;
    }
  };

  const start = (firstText: string) => {
    parser = createParser({
      delimiter: detectDelimiter(/[^\r\n]*\S[^\r\n]*/.exec(firstText)?.[0] ?? ""),
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      // A legitimate row is a few hundred characters; one of megabytes is a quote gone astray.
      max_record_size: 1024 * 1024,
      // Errors come back here, synchronously, instead of as a stream event after the fact.
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error && !failure) failure = { error, line: nextLine };
      },
      on_record: (fields: string[]) => {
        try {
          onRecord(fields);
        } catch (err) {
          thrown ??= err;
        }
        return null;
      },
    });
    parser.on("error", (error) => void (failure ??= { error, line: nextLine }));
  };
  const rethrow = () => {
    if (thrown) throw thrown;
  };

  return {
    /** The file already has more rows than allowed: it will be refused, so its rows need not be kept. */
    overLimit: () => summary.total > maxRows,
    write(text: string): void {
      if (!parser) {
        head += text;
        if (!/\S[^\r\n]*[\r\n]/.test(head) && head.length < HEADER_SCAN_MAX) return;
        start(head);
        text = head;
        head = "";
      }
      parser!.write(text);
      rethrow();
    },
    end(): CsvSummary {
      if (!parser) start(head);
      if (head) parser!.write(head);
      parser!.end();
      rethrow();
      if (failure) {
        const code = (failure.error as CsvError).code;
        summary.fileErrors.push(
          code === "CSV_QUOTE_NOT_CLOSED"
            ? { message: "cards.csv.errors.unclosedQuote", params: { line: failure.line } }
            : { message: "cards.csv.errors.unreadable", params: { line: failure.line } },
        );
      }
      if (!headerSeen) summary.fileErrors.push({ message: "cards.csv.errors.empty" });
      else if (summary.total === 0 && !summary.fileErrors.length) summary.fileErrors.push({ message: "cards.csv.errors.noRows" });
      if (summary.total > maxRows) summary.fileErrors.push({ message: "cards.csv.errors.tooManyRows", params: { max: maxRows } });
      if (summary.fileErrors.length) Object.assign(summary, { ok: false, valid: 0, invalid: 0 });
      return summary;
    },
  };
}

/** A whole file at once (tests, small files): the valid rows and the errors in arrays; none when the file is refused. */
export function parseCardsCsv(text: string, options: CsvParseOptions): CsvParseResult {
  const rows: CsvValidRow[] = [];
  const errors: CsvRowError[] = [];
  const reader = createCardsCsvReader({ ...options, onRow: (row) => rows.push(row), onError: (error) => errors.push(error) });
  reader.write(text);
  const { valid: _valid, invalid: _invalid, ...summary } = reader.end();
  return summary.ok ? { ...summary, rows, errors } : { ...summary, rows: [], errors: [] };
}
