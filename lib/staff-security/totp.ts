import "server-only";
import { generateSecret, generateURI, verify } from "otplib";

/** RFC 6238 defaults, which every authenticator app reads: 30-second steps, 6 digits, SHA-1. */
export const TOTP_PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, account: string, issuer = "CardDesk"): string {
  return generateURI({ issuer, label: account, secret });
}

/**
 * Checks a 6-digit code at `now` (the clock is injected so tests can move it), accepting the step
 * before and after (±1 step for phone clocks a little off). Codes of `afterStep` or earlier are
 * refused, so an accepted code cannot be used again. Returns the step it matched, or null.
 */
export async function checkTotp(secret: string, code: string, now: Date, afterStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_PERIOD,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  // The TOTP strategy's answer carries the matched step (the HOTP one, in the same union, does not).
  return result.valid && "timeStep" in result ? (result as { timeStep: number }).timeStep : null;
}
