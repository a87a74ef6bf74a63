import { randomBytes } from "node:crypto";
import { parse as createParser } from "csv-parse";

/**
 * Promo codes: what the till types or scans. No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V are left
 * out), upper case, so a code read aloud or off a screen is typed right.
 */
export const CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY";
export const CODE_LENGTH_MIN = 6;
export const CODE_LENGTH_MAX = 24;
export const CODE_LENGTH_DEFAULT = 10;
/** An uploaded code: what a till system may print (letters, digits, `-` and `_`), at most 64 characters. */
const UPLOADED_CODE = /^[A-Z0-9_-]{3,64}$/;
export const GENERATE_MAX = 1_000_000;

/** A code as stored and compared: trimmed, upper case (lookups at the till upper-case what they read). */
export const normalizeCode = (raw: string): string => raw.trim().toUpperCase();

/** Why an uploaded code cannot be stored (a translation key), or null. */
export function codeProblem(code: string): string | null {
  if (!code) return "giftCertificates.errors.codeEmpty";
  if (!UPLOADED_CODE.test(code)) return "giftCertificates.errors.codeFormat";
  return null;
}

/**
 * `count` distinct random codes from a CSPRNG, none in `taken` (rejection sampling: each character
 * from one byte, bytes ≥ the largest multiple of the alphabet's size are drawn again, so every
 * character is equally likely). A code drawn twice, or already taken, is simply drawn again; with
 * `maxRounds` rounds spent (a nearly full space) it stops and returns what it has.
 */
export function generateCodes(count: number, length: number, taken: (code: string) => boolean = () => false, draw = randomBytes): string[] {
  const n = CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  const out = new Set<string>();
  let rounds = 0;
  while (out.size < count && rounds < 20) {
    rounds += 1;
    const want = count - out.size;
    // A little more than needed, so the bytes thrown away rarely need a second draw.
    const bytes = draw(Math.ceil(want * length * 1.15) + 16);
    let i = 0;
    let code = "";
    while (out.size < count && i < bytes.length) {
      const b = bytes[i++];
      if (b >= limit) continue;
      code += CODE_ALPHABET[b % n];
      if (code.length === length) {
        if (!out.has(code) && !taken(code)) out.add(code);
        code = "";
      }
    }
  }
  return [...out];
}

/** How many distinct codes of this length the alphabet makes. */
export const codeSpace = (length: number): number => CODE_ALPHABET.length ** length;

export type CodeLine = { line: number; code: string; problem: string | null; params?: Record<string, string | number> };

const HEADER = /^(code|codes|promo ?code|код|промокод)$/i;
/** A code is at most 64 characters; a record of megabytes is a quote gone astray. */
const MAX_RECORD = 64 * 1024;

/**
 * Reads a CSV of promo codes as it arrives, a chunk at a time (`write` handles what it is given before
 * it returns, so the caller can let the event loop serve others between chunks): the first column of
 * each line (a header line whose first cell is `code`/`код` is skipped), normalised, to `onGood` with
 * its line, or to `onProblem` with why: unreadable, or a duplicate of an earlier line of the same file
 * (which line). Database duplicates are the caller's to check. `end` says how many lines there were,
 * or that the file is not readable CSV at all.
 */
export function createCodeCsvReader(handlers: { onGood: (code: string, line: number) => void; onProblem: (problem: CodeLine) => void }) {
  const seen = new Map<string, number>();
  let parser: ReturnType<typeof createParser> | null = null;
  let head = "";
  let records = 0;
  let lines = 0;
  let broken = false;
  const onRecord = (cells: string[]) => {
    records += 1;
    const raw = cells[0] ?? "";
    if (records === 1 && HEADER.test(raw.trim())) return;
    lines += 1;
    const line = records;
    const code = normalizeCode(raw);
    const problem = codeProblem(code);
    if (problem) return handlers.onProblem({ line, code, problem });
    const earlier = seen.get(code);
    if (earlier !== undefined) return handlers.onProblem({ line, code, problem: "giftCertificates.errors.codeDuplicateInFile", params: { line: earlier } });
    seen.set(code, line);
    handlers.onGood(code, line);
  };
  const start = (firstText: string) => {
    parser = createParser({
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      trim: true,
      max_record_size: MAX_RECORD,
      // A semicolon file (Russian Excel) is told from the start of the file, codes hold neither.
      delimiter: firstText.includes(";") && !firstText.includes(",") ? ";" : ",",
      // Errors come back here, synchronously, instead of as a stream event after the fact.
      skip_records_with_error: true,
      on_skip: () => void (broken = true),
      on_record: (cells: string[]) => {
        if (!broken) onRecord(cells);
        return null;
      },
    });
    parser.on("error", () => void (broken = true));
  };
  return {
    /** Lines read so far (the header not counted). */
    lines: () => lines,
    write(text: string): void {
      if (!parser) {
        head += text;
        if (head.length < 4096) return;
        start(head);
        text = head;
        head = "";
      }
      parser!.write(text);
    },
    end(): { lines: number; readable: boolean } {
      if (!parser) start(head);
      if (head) parser!.write(head);
      parser!.end();
      return { lines, readable: !broken };
    },
  };
}

/** A whole file at once (tests, small files): every line with its problem, in order. Throws when it is not readable CSV. */
export function parseCodeCsv(text: string): CodeLine[] {
  const lines: CodeLine[] = [];
  const reader = createCodeCsvReader({ onGood: (code, line) => lines.push({ line, code, problem: null }), onProblem: (p) => lines.push(p) });
  reader.write(text);
  if (!reader.end().readable) throw new Error("unreadable CSV");
  return lines;
}
