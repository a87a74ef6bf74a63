import { randomInt } from "node:crypto";
import type { BarcodeFormat, Numbering } from "@/lib/templates/definition";

/** Luhn (mod 10) check digit over the digits of a number, as payment and loyalty cards use. */
export function luhnCheckDigit(body: string): string {
  const digits = body.replace(/\D/g, "");
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Doubling starts from the right-most digit of the body, since the check digit goes after it.
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** EAN-13's own check digit (weights 1 and 3): scanners refuse a Luhn digit there. */
export function ean13CheckDigit(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

export function isValidCheckDigit(number: string, format: BarcodeFormat): boolean {
  const body = number.slice(0, -1);
  const check = number.slice(-1);
  return (format === "ean13" ? ean13CheckDigit(body) : luhnCheckDigit(body)) === check;
}

/** A new number from the template's pattern: prefix, random digits from a CSPRNG, then the check digit. */
export function generateCardNumber(numbering: Numbering, format: BarcodeFormat): string {
  let body = numbering.prefix;
  for (let i = 0; i < numbering.digits; i++) body += String(randomInt(10));
  if (!numbering.checkDigit) return body;
  return body + (format === "ean13" && body.length === 12 ? ean13CheckDigit(body) : luhnCheckDigit(body));
}

/** How many different numbers the pattern can make; issuing stops well before the space runs out. */
export function numberSpace(numbering: Numbering): number {
  return 10 ** numbering.digits;
}
