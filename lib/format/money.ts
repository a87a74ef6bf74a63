// Pure (no "server-only"): cabinet pages, customer pages, client components and pass builders all format through here.
import type { Kind } from "@/lib/templates/definition";

/**
 * Money and points as people read them, once for every surface: the cabinet, the customer's pages,
 * Apple passes and Google Wallet objects. Amounts are integers in minor units (kopecks, cents); how
 * many minor units make one major unit is the currency's own (100 for RUB, 1 for JPY), as Intl knows it.
 */

const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

/** Digits after the decimal mark of the currency: 2 for RUB and USD, 0 for JPY, 3 for KWD. */
export function currencyDigits(currency: string): number {
  return numberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units as the major unit's number (12345 kopecks → 123.45 roubles). */
export function minorToMajor(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}

/** Minor units as Google Wallet's `micros` of the major unit, exactly (a string, as Google's Money has it). */
export function minorToMicros(minor: number, currency: string): string {
  return (BigInt(Math.round(minor)) * 10n ** BigInt(6 - currencyDigits(currency))).toString();
}

/** An amount in minor units, e.g. 12345 RUB → "123,45 ₽" (ru) / "RUB 123.45" (en). */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return numberFormat(locale, { style: "currency", currency }).format(minorToMajor(minor, currency));
}

/** Points or stamps: a whole number grouped as the locale groups it ("1,250" / "1 250"). */
export function formatPoints(points: number, locale: string): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(points);
}

/** Whether a kind's balance is money (a gift certificate's nominal) rather than points or stamps. */
export const isMoneyKind = (kind: Kind): boolean => kind === "gift";

/** A card's balance as its kind reads it: money for a gift certificate, points or stamps otherwise. */
export function formatBalance(kind: Kind, balance: number, currency: string, locale: string): string {
  return isMoneyKind(kind) ? formatMoney(balance, currency, locale) : formatPoints(balance, locale);
}
