import { z } from "zod";

/**
 * Control characters: C0 (U+0000–U+001F) and DEL. PostgreSQL refuses NUL in every text and jsonb value
 * (a 500 if it gets that far) and the rest have no business in a name, a number or a header, so every
 * text that enters is checked here, once: single-line texts refuse them all, multi-line texts (terms,
 * back-side text, message templates) keep tab, CR and LF, searches drop them.
 */
// A lone UTF-16 surrogate (JSON's "\ud800") is refused with them: jsonb cannot hold one (22P02).
const CONTROL = /[\u0000-\u001f\u007f]|\p{Cs}/u;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\p{Cs}/u;

/** Whether a value holds a control character; `multiline` lets tab, CR and LF through. */
export function hasControlChars(value: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? CONTROL_BUT_LINES : CONTROL).test(value);
}

/** A search as typed: line breaks and tabs become spaces, other control characters go, the rest is trimmed. */
export function stripControlChars(value: string): string {
  return value
    .replace(/[\t\n\v\f\r]/g, " ")
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim();
}

/** The message key of the refusal, for checks made outside a schema (e.g. a CSV cell). */
export const CONTROL_CHARS_ERROR = "validation.controlChars";

/** Trimmed single-line text; an empty form field becomes "". Messages are translation keys under `validation`. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .refine((v) => !hasControlChars(v), { error: CONTROL_CHARS_ERROR })
    .max(max, { error: "validation.tooLong" });
export const requiredText = (max: number) => text(max).min(1, { error: "validation.required" });
/** Trimmed text that may run over several lines (terms, back-side text, message templates). */
export const multilineText = (max: number) =>
  z
    .string()
    .trim()
    .refine((v) => !hasControlChars(v, { multiline: true }), { error: CONTROL_CHARS_ERROR })
    .max(max, { error: "validation.tooLong" });
/**
 * A search box's text from a query string: control characters dropped, cut at `max`; blank, repeated
 * (`?q=a&q=b`) or missing is no search at all. A search is never refused.
 */
export const searchText = (max = 100) =>
  z
    .unknown()
    .transform((v) => (typeof v === "string" ? stripControlChars(v).slice(0, max).trim() || undefined : undefined))
    .optional();

export const email = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "validation.email" }).max(254, { error: "validation.tooLong" }));
/** For ids taken from a URL: anything else is simply "not found", never a database error. */
// Built once: a zod schema costs more to build than to run, and the till's calls check ids on every request.
const UUID = z.uuid();
export const isUuid = (value: unknown): value is string => UUID.safeParse(value).success;
/**
 * For other values taken from a URL path or header and looked up as they are (a pass's serial, a
 * device id): one with a control character cannot be ours, so it is "not found" before any query.
 */
export const isCleanParam = (value: unknown, max = 500): value is string => typeof value === "string" && value.length <= max && !hasControlChars(value);

export const PASSWORD_MIN = 10;
/** Staff password rules: 10–128 characters with at least one letter and one digit, no control characters. */
export const password = () =>
  z
    .string()
    .min(PASSWORD_MIN, { error: "validation.passwordShort" })
    .max(128, { error: "validation.tooLong" })
    .refine((v) => !hasControlChars(v), { error: CONTROL_CHARS_ERROR })
    .refine((v) => /\p{L}/u.test(v) && /\d/.test(v), { error: "validation.passwordWeak" });

/**
 * Query string page number, 1-based; garbage becomes page 1, and so does a page past any list's end
 * that would overflow the database's offset (`?page=1e300` is a whole number too).
 */
export const MAX_PAGE = 10_000_000;
export const page = () => z.coerce.number().int().min(1).max(MAX_PAGE).catch(1);
