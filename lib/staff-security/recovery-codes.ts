import "server-only";
import { createHmac, randomInt } from "node:crypto";
import { and, count, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { staffRecoveryCodes } from "@/db/schema";
import { getEnv } from "@/lib/env";

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: a code read off paper must not be ambiguous.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** `abcde-23456`: 10 characters of a 31-letter alphabet, about 49 bits. */
function newCode(): string {
  let s = "";
  for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** What a person may type for a code: any case, with or without the dash and spaces. */
export function normaliseRecoveryCode(input: string): string | null {
  const plain = input.toLowerCase().replace(/[\s-]/g, "");
  return plain.length === 10 && [...plain].every((c) => ALPHABET.includes(c)) ? plain : null;
}

/** Keyed hash (HMAC under a key derived from AUTH_SECRET), bound to its user: a stolen table alone cannot be tried offline. */
function hashCode(userId: string, normalised: string): string {
  return createHmac("sha256", `carddesk:recovery-code:${getEnv().authSecret}`).update(`${userId}:${normalised}`).digest("base64url");
}

/** Replaces the user's codes with 10 new ones and returns them (the only time they are readable). */
export async function replaceRecoveryCodes(db: Db, user: { id: string; merchantId: string }): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await db.delete(staffRecoveryCodes).where(and(eq(staffRecoveryCodes.userId, user.id), eq(staffRecoveryCodes.merchantId, user.merchantId)));
  await db
    .insert(staffRecoveryCodes)
    .values(codes.map((c) => ({ merchantId: user.merchantId, userId: user.id, codeHash: hashCode(user.id, normaliseRecoveryCode(c)!) })));
  return codes;
}

/**
 * Uses a code: one conditional update, so of two requests racing with the same code exactly one
 * wins. Returns how many unused codes remain, or null when the code is wrong or already used.
 */
export async function spendRecoveryCode(db: Db, user: { id: string; merchantId: string }, input: string): Promise<number | null> {
  const normalised = normaliseRecoveryCode(input);
  if (!normalised) return null;
  const used = await db
    .update(staffRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(staffRecoveryCodes.userId, user.id),
        eq(staffRecoveryCodes.merchantId, user.merchantId),
        eq(staffRecoveryCodes.codeHash, hashCode(user.id, normalised)),
        isNull(staffRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: staffRecoveryCodes.id });
  if (used.length === 0) return null;
  return remainingRecoveryCodes(db, user);
}

export async function remainingRecoveryCodes(db: Db, user: { id: string; merchantId: string }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(staffRecoveryCodes)
    .where(and(eq(staffRecoveryCodes.userId, user.id), eq(staffRecoveryCodes.merchantId, user.merchantId), isNull(staffRecoveryCodes.usedAt)));
  return row?.n ?? 0;
}
