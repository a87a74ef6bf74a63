// No "server-only": the card holder form formats and checks the phone in the browser too.
import parsePhoneNumber, { isSupportedCountry, type CountryCode } from "libphonenumber-js/min";

// Separators people and spreadsheets put between digits: spaces (incl. no-break), brackets, dots, slashes, dashes of every width.
const SEPARATORS = /[\s\u00a0\u202f()./\-\u2010-\u2015\u2212]/g;
// E.164 allows 15 digits; the slack covers "00" and "810" dialling prefixes. Longer input is not a phone.
const MAX_DIGITS = 20;

const countryOf = (code: string): CountryCode | undefined => {
  const upper = code.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
};

const parse = (text: string, defaultCountry?: CountryCode) =>
  // `extract: false`: the whole input must be the number, not "call 8 916 ... after 6pm".
  parsePhoneNumber(text, { defaultCountry, extract: false });
const valid = (phone: ReturnType<typeof parse>) => (phone?.isValid() ? phone.number : null);

/**
 * A phone as typed by staff, a customer or a spreadsheet → E.164 (`+79161234567`), or null when it is not
 * a valid number. National forms are read in the merchant's country (`8 (916) 123-45-67` in RU). Digits
 * that cannot be a national number there are tried as international, because spreadsheets often drop
 * the leading "+" (`447946...`) or keep the "00" prefix. A national-length typo is refused rather than
 * reread abroad ("8 123 456-78-90" is not Japan's +81). Validity uses the `min` metadata: length and
 * leading digits must fit the country's plan, which refuses numbers that are merely "possible".
 */
export function normalizePhone(input: string, defaultCountry: string): string | null {
  const compact = input.trim().replace(SEPARATORS, "");
  if (!/^\+?\d+$/.test(compact) || compact.length > MAX_DIGITS + 1) return null;
  if (compact.startsWith("+")) return valid(parse(compact));

  const national = parse(compact, countryOf(defaultCountry));
  if (national?.isValid()) return national.number;
  if (compact.startsWith("00")) return valid(parse(`+${compact.slice(2)}`));
  if (national?.isPossible()) return null;
  return valid(parse(`+${compact}`));
}

/**
 * The digits to look for inside stored E.164 phones (`phone LIKE '%' || digits || '%'`), so staff can
 * type a fragment ("916 123") or a whole number in national form ("8 916 123-45-67"). A whole number
 * becomes its E.164 digits; a fragment loses its dialling prefix ("+", "00") and, when it is not
 * international, a leading trunk prefix ("8" in Russia and its neighbours, "0" in most of Europe),
 * which E.164 never stores. Dropping that digit can only widen the search, never miss a match.
 * Returns "" when there is nothing to search by.
 */
export function phoneSearchDigits(input: string, defaultCountry?: string): string {
  const trimmed = input.trim();
  // Without a country a national number cannot be told from an international one ("8 812 ..." is
  // St Petersburg, "+881..." a satellite phone), so only "+" input counts as whole then.
  if (defaultCountry || trimmed.startsWith("+")) {
    const whole = normalizePhone(trimmed, defaultCountry ?? "");
    if (whole) return whole.slice(1);
  }
  const digits = trimmed.replace(/\D/g, "").slice(0, MAX_DIGITS);
  if (trimmed.startsWith("+")) return digits;
  if (digits.startsWith("00")) return digits.slice(2);
  if (digits.length > 1 && (digits[0] === "8" || digits[0] === "0")) return digits.slice(1);
  return digits;
}
