import { randomBytes } from "node:crypto";
import { parse } from "csv-parse/sync";

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

/**
 * The codes of an uploaded CSV: the first column of each line (a header line whose first cell is
 * `code`/`код` is skipped), normalised, each with its problem: unreadable, or a duplicate of an
 * earlier line of the same file (which line). Database duplicates are checked by the caller.
 */
export function parseCodeCsv(text: string): CodeLine[] {
  const records = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    trim: true,
    delimiter: text.includes(";") && !text.includes(",") ? ";" : ",",
  }) as string[][];
  const lines: CodeLine[] = [];
  const seen = new Map<string, number>();
  records.forEach((cells, i) => {
    const raw = cells[0] ?? "";
    if (i === 0 && /^(code|codes|promo ?code|код|промокод)$/i.test(raw.trim())) return;
    const code = normalizeCode(raw);
    const line = i + 1;
    let problem = codeProblem(code);
    let params: CodeLine["params"];
    if (!problem && seen.has(code)) {
      problem = "giftCertificates.errors.codeDuplicateInFile";
      params = { line: seen.get(code)! };
    }
    if (!problem) seen.set(code, line);
    lines.push({ line, code, problem, ...(params && { params }) });
  });
  return lines;
}
