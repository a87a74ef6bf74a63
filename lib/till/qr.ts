import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { cards } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { lookupCard } from "@/lib/ledger/lookup";
import { fromRussianLayout } from "./layout";

/**
 * The rotating anti-copy QR: `CDQ.<card>.<window>.<mac>` — the card's id (base64url), the 24-hour
 * window it is good for (UTC days since 1970, base 36) and a MAC under a key of the merchant's own
 * (so a payload names its merchant without spelling it out). About 50 characters: an easy scan off a
 * phone screen. The lookup takes the current window and the one before (a pass updated late in the
 * day still works), and nothing older.
 */
export const QR_PREFIX = "CDQ.";
const DAY_MS = 86_400_000;
const PAYLOAD = /^CDQ\.([A-Za-z0-9_-]{22})\.([0-9a-z]{1,8})\.([A-Za-z0-9_-]{16})$/;

export const windowOf = (now: Date) => Math.floor(now.getTime() / DAY_MS);

function macOf(merchantId: string, cardId: string, window: number): Buffer {
  const key = createHmac("sha256", getEnv().authSecret).update(`qr:${merchantId}`).digest();
  return createHmac("sha256", key).update(`${cardId}.${window}`).digest().subarray(0, 12);
}

const idToB64 = (id: string) => Buffer.from(id.replace(/-/g, ""), "hex").toString("base64url");
const b64ToId = (b64: string) => {
  const hex = Buffer.from(b64, "base64url").toString("hex");
  return hex.length === 32 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : null;
};

export function rotatingPayload(card: { id: string; merchantId: string }, now = new Date()): string {
  const window = windowOf(now);
  return `${QR_PREFIX}${idToB64(card.id)}.${window.toString(36)}.${macOf(card.merchantId, card.id, window).toString("base64url")}`;
}

export const isRotatingPayload = (code: string) => code.startsWith(QR_PREFIX);

/**
 * The card a scanned payload names, for this merchant: another merchant's card is not found (404); a
 * wrong MAC or a window from the future is forged (422 `qr_invalid`); a window before yesterday's is
 * out of date (410 `qr_expired`).
 */
export async function resolveRotatingPayload(db: Db, merchantId: string, code: string, now = new Date()): Promise<{ id: string; number: string }> {
  const match = PAYLOAD.exec(code);
  const id = match && b64ToId(match[1]);
  if (!match || !id) throw new AppError("qr_invalid", "till.errors.qrInvalid");
  const [card] = await db
    .select({ id: cards.id, number: cards.number })
    .from(cards)
    .where(and(eq(cards.id, id), eq(cards.merchantId, merchantId)));
  if (!card) throw new AppError("card_not_found", "ledger.errors.cardNotFound");
  const window = parseInt(match[2], 36);
  const given = Buffer.from(match[3], "base64url");
  const expected = macOf(merchantId, id, window);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError("qr_invalid", "till.errors.qrInvalid");
  const current = windowOf(now);
  if (window > current) throw new AppError("qr_invalid", "till.errors.qrInvalid");
  if (window < current - 1) throw new AppError("qr_expired", "till.errors.qrExpired");
  return card;
}

/**
 * The till's lookup by what it scanned or typed: the scanner's layout undone (./layout), a rotating
 * QR resolved to its card. A card whose template rotates its QR is refused by its plain number or
 * static barcode (422 `qr_required`): its passes and pages carry only the day's payload, so a plain
 * number at the till is a copy (a photo of an old pass, a number read off a screenshot). Staff who
 * cannot scan the customer's screen find the card by phone + PIN (./pin).
 */
export async function lookupScanned(db: Db, merchantId: string, typed: string, query: { amount?: number } = {}, now = new Date()) {
  const code = fromRussianLayout(typed);
  const rotating = isRotatingPayload(code);
  const found = await lookupCard(db, merchantId, { ...query, code: rotating ? (await resolveRotatingPayload(db, merchantId, code, now)).number : code });
  if (!rotating && found.definition.rotatingQr) throw new AppError("qr_required", "till.errors.qrRequired");
  return found;
}
