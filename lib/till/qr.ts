import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { cards } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { lookupCard } from "@/lib/ledger/lookup";
import type { BarcodeFormat, TemplateDefinition } from "@/lib/templates/definition";
import { shownFormat, tillCode } from "@/lib/templates/till-code";
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

/** The merchant's own QR key: every payload's MAC and every Google pass's TOTP key derive from it. */
const merchantQrKey = (merchantId: string) => createHmac("sha256", getEnv().authSecret).update(`qr:${merchantId}`).digest();

function macOf(merchantId: string, cardId: string, window: number): Buffer {
  return createHmac("sha256", merchantQrKey(merchantId)).update(`${cardId}.${window}`).digest().subarray(0, 12);
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

/**
 * What a card's pages and pass previews draw for the till to scan — the customer's page, `/my`, the
 * card page and the cashier screen alike: a rotating-QR template's day payload as a QR (never the
 * plain number, which the till refuses as a copy), any other template's till code in its own format.
 */
export function scanCode(
  card: { id: string; merchantId: string; number: string; serialNumber: string },
  definition: Pick<TemplateDefinition, "barcode" | "rotatingQr">,
  now = new Date(),
): { format: BarcodeFormat; value: string; rotating: boolean } {
  const rotating = !!definition.rotatingQr;
  return { format: shownFormat(definition), value: rotating ? rotatingPayload(card, now) : tillCode(card, definition), rotating };
}

/**
 * Google passes of rotating-QR templates carry Google Wallet's own rotating barcode instead: Google's
 * app computes an RFC 6238 TOTP on the phone and fills it into `CDG.<card>.<seconds>.<totp>` — the
 * card's id (base64url), the second the phone drew the code at ({totp_timestamp_seconds}) and the
 * 8-digit TOTP for that second's period ({totp_value_0}). The TOTP key is the card's own, derived
 * here from the merchant's QR key (HMAC), so it never needs storing and a pass of another card or
 * merchant proves nothing. Nothing has to be pushed to Google daily: the object never changes.
 *
 * The period is 24 hours, the window of the `CDQ.` payloads: Google documents no bound on
 * `periodMillis`, the rule is one 24-hour window and the one before it for every rotating
 * QR, and a long period keeps working on a phone whose clock is a few minutes off (a 30-second TOTP
 * would refuse it). The anti-copy guarantee is the same as the Apple pass's: a screenshot dies after
 * the next day.
 */
export const GOOGLE_QR_PREFIX = "CDG.";
export const GOOGLE_TOTP_PERIOD_MS = DAY_MS;
export const GOOGLE_TOTP_DIGITS = 8;
/** How far ahead of ours a phone's clock may run before its timestamp counts as forged. */
const MAX_CLOCK_SKEW_MS = 10 * 60_000;
const GOOGLE_PAYLOAD = /^CDG\.([A-Za-z0-9_-]{22})\.([0-9]{1,12})\.([0-9]{8})$/;

/** The card's TOTP key (20 bytes, SHA-1's block-friendly size per RFC 4226). */
const totpKeyOf = (merchantId: string, cardId: string) => createHmac("sha256", merchantQrKey(merchantId)).update(`totp:${cardId}`).digest().subarray(0, 20);

/** RFC 4226 HOTP (HMAC-SHA1, dynamic truncation) of one counter; RFC 6238's TOTP is this of floor(time / period). */
export function hotp(key: Buffer, counter: number, digits = GOOGLE_TOTP_DIGITS): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return bin.toString().padStart(digits, "0");
}

/** Google's `rotatingBarcode` of a card of a rotating-QR template (lib/wallet/google/mapping adds the text under it). */
export function googleRotatingBarcode(card: { id: string; merchantId: string }) {
  return {
    type: "QR_CODE",
    valuePattern: `${GOOGLE_QR_PREFIX}${idToB64(card.id)}.{totp_timestamp_seconds}.{totp_value_0}`,
    totpDetails: {
      // int64 as a string, as Google's JSON has it.
      periodMillis: String(GOOGLE_TOTP_PERIOD_MS),
      algorithm: "TOTP_SHA1",
      // Base16, as Google requires.
      parameters: [{ key: totpKeyOf(card.merchantId, card.id).toString("hex"), valueLength: GOOGLE_TOTP_DIGITS }],
    },
  };
}
export type GoogleRotatingBarcode = ReturnType<typeof googleRotatingBarcode>;

export const isRotatingPayload = (code: string) => code.startsWith(QR_PREFIX) || code.startsWith(GOOGLE_QR_PREFIX);

async function merchantCard(db: Db, merchantId: string, id: string) {
  const [card] = await db
    .select({ id: cards.id, number: cards.number })
    .from(cards)
    .where(and(eq(cards.id, id), eq(cards.merchantId, merchantId)));
  if (!card) throw new AppError("card_not_found", "ledger.errors.cardNotFound");
  return card;
}

/** A Google pass's `CDG.` payload: the TOTP checked for the period of its timestamp, then that period against ours (as for `CDQ.`). */
async function resolveGooglePayload(db: Db, merchantId: string, code: string, now: Date): Promise<{ id: string; number: string }> {
  const match = GOOGLE_PAYLOAD.exec(code);
  const id = match && b64ToId(match[1]);
  if (!match || !id) throw new AppError("qr_invalid", "till.errors.qrInvalid");
  const card = await merchantCard(db, merchantId, id);
  const at = Number(match[2]) * 1000;
  const period = Math.floor(at / GOOGLE_TOTP_PERIOD_MS);
  const given = Buffer.from(match[3]);
  const expected = Buffer.from(hotp(totpKeyOf(merchantId, id), period));
  if (!timingSafeEqual(given, expected)) throw new AppError("qr_invalid", "till.errors.qrInvalid");
  if (at > now.getTime() + MAX_CLOCK_SKEW_MS) throw new AppError("qr_invalid", "till.errors.qrInvalid");
  if (period < Math.floor(now.getTime() / GOOGLE_TOTP_PERIOD_MS) - 1) throw new AppError("qr_expired", "till.errors.qrExpired");
  return card;
}

/**
 * The card a scanned payload (`CDQ.` or a Google pass's `CDG.`) names, for this merchant: another merchant's card is not found (404); a
 * wrong MAC or a window from the future is forged (422 `qr_invalid`); a window before yesterday's is
 * out of date (410 `qr_expired`).
 */
export async function resolveRotatingPayload(db: Db, merchantId: string, code: string, now = new Date()): Promise<{ id: string; number: string }> {
  if (code.startsWith(GOOGLE_QR_PREFIX)) return resolveGooglePayload(db, merchantId, code, now);
  const match = PAYLOAD.exec(code);
  const id = match && b64ToId(match[1]);
  if (!match || !id) throw new AppError("qr_invalid", "till.errors.qrInvalid");
  const card = await merchantCard(db, merchantId, id);
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
