import "server-only";
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

/** Till codes follow the customer sign-in codes' rules (lib/customer-auth/codes): CSPRNG, HMAC at rest, constant-time compare. */
export const TILL_CODE_RULES = {
  digits: 6,
  ttlSeconds: 5 * 60,
  /** Wrong tries for a code we chose; a call's code is the provider's (often 4 digits), so fewer. */
  maxAttempts: 5,
  maxAttemptsCall: 3,
  /**
   * Codes sent to one card's holder per hour at most: each costs the merchant an SMS or a call and
   * brings fresh tries, so a till looping on one card can neither flood the customer nor guess a
   * call's 4-digit code by sheer number of rows.
   */
  perCardPerHour: 5,
} as const;

export function newCode(digits: number = TILL_CODE_RULES.digits): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, "0");
}

/** Bound to the row (its id and merchant), so a hash copied to another row proves nothing. */
export function tillCodeHmac(id: string, merchantId: string, code: string): string {
  return createHmac("sha256", getEnv().authSecret).update(`till:${merchantId}:${id}:${code}`).digest("hex");
}

export function sameCode(storedHmac: string | null, id: string, merchantId: string, typed: string): boolean {
  if (!storedHmac) return false;
  const a = Buffer.from(storedHmac, "hex");
  const b = Buffer.from(tillCodeHmac(id, merchantId, typed), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
