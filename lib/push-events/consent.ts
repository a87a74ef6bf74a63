import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, customers, merchants } from "@/db/schema";
import { encryptionKey } from "@/lib/crypto/secrets";
import { getEnv } from "@/lib/env";

/**
 * Marketing consent (SMS news): the flag, the exact text the customer agreed to and when. Given by the
 * enrolment page, the CSV import or the API (they call this); withdrawn at once by the unsubscribe link.
 */
export async function giveMarketingConsent(db: Db, merchantId: string, customerId: string, text: string, at = new Date()): Promise<void> {
  await db
    .update(customers)
    .set({ marketingConsent: true, marketingConsentText: text.slice(0, 2000), marketingConsentAt: at, updatedAt: sql`now()` })
    .where(and(eq(customers.id, customerId), eq(customers.merchantId, merchantId)));
}

/** Consent given for the holder of a card (the enrolment page knows the card it issued). */
export async function giveConsentForCard(db: Db, merchantId: string, cardId: string, text: string): Promise<void> {
  const [card] = await db
    .select({ customerId: cards.customerId })
    .from(cards)
    .where(and(eq(cards.id, cardId), eq(cards.merchantId, merchantId)));
  if (card?.customerId) await giveMarketingConsent(db, merchantId, card.customerId, text);
}

/** Withdraws consent; returns whether the customer had it. */
export async function withdrawMarketingConsent(db: Db, merchantId: string, customerId: string): Promise<boolean> {
  const rows = await db
    .update(customers)
    .set({ marketingConsent: false, marketingConsentAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(customers.id, customerId), eq(customers.merchantId, merchantId), eq(customers.marketingConsent, true)))
    .returning({ id: customers.id });
  return rows.length > 0;
}

const b64 = (b: Buffer) => b.toString("base64url");
const macOf = (merchantId: string, customerId: string) =>
  createHmac("sha256", encryptionKey()).update(`unsubscribe:${merchantId}:${customerId}`).digest().subarray(0, 9);
const uuidBytes = (id: string) => Buffer.from(id.replaceAll("-", ""), "hex");
const uuidOf = (b: Buffer) => {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** A short unguessable token naming one customer of one merchant (the SMS's stop link): 64 characters of base64url at most. */
export function unsubscribeToken(merchantId: string, customerId: string): string {
  return `${b64(uuidBytes(merchantId))}${b64(uuidBytes(customerId))}${b64(macOf(merchantId, customerId))}`;
}

export function readUnsubscribeToken(token: string): { merchantId: string; customerId: string } | null {
  if (!/^[A-Za-z0-9_-]{56}$/.test(token)) return null;
  const merchantId = uuidOf(Buffer.from(token.slice(0, 22), "base64url"));
  const customerId = uuidOf(Buffer.from(token.slice(22, 44), "base64url"));
  const mac = Buffer.from(token.slice(44), "base64url");
  const expected = macOf(merchantId, customerId);
  return mac.length === expected.length && timingSafeEqual(mac, expected) ? { merchantId, customerId } : null;
}

/** What the stop link does: withdraws the named customer's consent; the merchant's name, or null for a link that is not one. */
export async function unsubscribeByToken(db: Db, token: string): Promise<{ merchantName: string } | null> {
  const who = readUnsubscribeToken(token);
  if (!who) return null;
  const [merchant] = await db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, who.merchantId));
  if (!merchant) return null;
  await withdrawMarketingConsent(db, who.merchantId, who.customerId);
  return { merchantName: merchant.name };
}

export const unsubscribeLink = (merchantId: string, customerId: string) =>
  `${getEnv().APP_URL.replace(/\/$/, "")}/u/${unsubscribeToken(merchantId, customerId)}`;

/** The news text as sent: the message and how to stop. */
export const smsNewsText = (message: string, link: string, locale: "ru" | "en" = "ru") => `${message}\n${locale === "ru" ? "Отписаться" : "Stop"}: ${link}`;
