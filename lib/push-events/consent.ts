import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { createTranslator } from "use-intl/core";
import type { Db } from "@/db";
import { pgArray } from "@/db/rows";
import { cards, customers, marketingStops, merchants, outboxMessages } from "@/db/schema";
import { wake } from "@/lib/card-events";
import { recordMessageOutcome } from "@/lib/messaging/outcome-events";
import { encryptionKey } from "@/lib/crypto/secrets";
import { getEnv } from "@/lib/env";
import { localeOfCountry, type Locale } from "@/i18n/config";
import { loadMessages } from "@/i18n/messages";

/**
 * Who records a consent or its withdrawal: the customer themselves (the enrolment page, a form, the
 * SMS's stop link) or the merchant on their behalf (the cabinet, the CSV import, the API).
 */
export type ConsentBy = "customer" | "merchant";

/**
 * Marketing consent (SMS news): the flag, the exact text the customer agreed to and when. Given by the
 * enrolment page, a form, the CSV import or the API (they call this); withdrawn at once by the
 * unsubscribe link. A phone that stopped the news through the link is on the merchant's suppression
 * list (marketing_stops): only the customer's own consent takes it off, and the merchant's consent
 * skips it (returns the ids it did give).
 */
export async function giveMarketingConsent(
  db: Db,
  merchantId: string,
  customerId: string | string[],
  text: string,
  at = new Date(),
  by: ConsentBy = "merchant",
): Promise<string[]> {
  const asked = typeof customerId === "string" ? [customerId] : customerId;
  if (!asked.length) return [];
  const phones = await phoneHashesOf(db, merchantId, asked);
  const hashes = [...new Set(phones.values())];
  const onList = and(eq(marketingStops.merchantId, merchantId), inArray(marketingStops.phoneHash, hashes));
  let ids = asked;
  // The customer's own consent takes their phone off the list; the merchant's skips a phone on it.
  if (hashes.length && by === "customer") await db.delete(marketingStops).where(onList);
  else if (hashes.length) {
    const stopped = new Set((await db.select({ hash: marketingStops.phoneHash }).from(marketingStops).where(onList)).map((r) => r.hash));
    ids = asked.filter((id) => !stopped.has(phones.get(id) ?? ""));
  }
  if (!ids.length) return [];
  const given = await db
    .update(customers)
    .set({ marketingConsent: true, marketingConsentText: text.slice(0, 2000), marketingConsentAt: at, updatedAt: sql`now()` })
    .where(and(inArray(customers.id, ids), eq(customers.merchantId, merchantId)))
    .returning({ id: customers.id });
  return given.map((c) => c.id);
}

/** A phone as the suppression list keeps it: a keyed hash per merchant, never the number. */
const stopHashOf = (merchantId: string, phone: string) =>
  createHmac("sha256", encryptionKey()).update(`marketing-stop:${merchantId}:${phone}`).digest("base64url");

/** The merchant's customers among these ids that have a phone, with its suppression-list hash. */
async function phoneHashesOf(db: Db, merchantId: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: customers.id, phone: customers.phone })
    .from(customers)
    .where(and(inArray(customers.id, ids), eq(customers.merchantId, merchantId), isNotNull(customers.phone)));
  return new Map(rows.map((r) => [r.id, stopHashOf(merchantId, r.phone!)]));
}

/**
 * The consent text the merchant asks for now: the enrolment page's box in the merchant's language. The
 * CSV import and the API record it with the consent they pass on, as the text the customer agreed to.
 */
export async function currentConsentText(db: Db, merchantId: string): Promise<string> {
  const locale = await merchantLocaleOf(db, merchantId);
  const t = createTranslator({ locale, messages: (await loadMessages(locale)) as Record<string, never>, namespace: "pushEvents" as never });
  return t("marketingConsent" as never);
}

/**
 * The CSV import's consent column, for one batch of rows: a yes gives consent with the merchant's
 * current text at this moment, a no withdraws it, a blank leaves the customer as they are (and a yes
 * leaves a customer who stopped through the link as they are). The customers are found by phone (the
 * batch has just created or found them).
 */
export async function applyImportedConsent(db: Db, merchantId: string, rows: { phone: string; marketingConsent?: boolean }[]): Promise<void> {
  const phonesBy = (value: boolean) => rows.filter((r) => r.marketingConsent === value).map((r) => r.phone);
  const [yes, no] = [phonesBy(true), phonesBy(false)];
  if (!yes.length && !no.length) return;
  const found = await db
    .select({ id: customers.id, phone: customers.phone, consent: customers.marketingConsent })
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), inArray(customers.phone, [...yes, ...no])));
  const idsOf = (phones: string[], consent: boolean) => {
    const wanted = new Set(phones);
    return found.filter((c) => c.phone && wanted.has(c.phone) && c.consent === consent).map((c) => c.id);
  };
  // A customer who already agreed keeps the text and the time they agreed to.
  const give = idsOf(yes, false);
  if (give.length) await giveMarketingConsent(db, merchantId, give, await currentConsentText(db, merchantId));
  await withdrawMarketingConsent(db, merchantId, idsOf(no, true));
}

/** Consent given for the holder of a card (the enrolment page knows the card it issued). */
export async function giveConsentForCard(db: Db, merchantId: string, cardId: string, text: string): Promise<void> {
  const [card] = await db
    .select({ customerId: cards.customerId })
    .from(cards)
    .where(and(eq(cards.id, cardId), eq(cards.merchantId, merchantId)));
  if (card?.customerId) await giveMarketingConsent(db, merchantId, card.customerId, text, new Date(), "customer");
}

/**
 * Withdraws consent; returns whether any of the customers had it. The customer's own withdrawal also
 * puts the phone on the merchant's suppression list, so the merchant cannot give it again. News and
 * triggered SMS still waiting in the outbox for these customers (those carrying their stop link) are
 * not sent: they fail with the reason; one already handed to the provider cannot be called back.
 */
export async function withdrawMarketingConsent(db: Db, merchantId: string, customerId: string | string[], by: ConsentBy = "merchant"): Promise<boolean> {
  const ids = typeof customerId === "string" ? [customerId] : customerId;
  if (!ids.length) return false;
  if (by === "customer") {
    const hashes = [...new Set((await phoneHashesOf(db, merchantId, ids)).values())];
    if (hashes.length)
      await db
        .insert(marketingStops)
        .values(hashes.map((phoneHash) => ({ merchantId, phoneHash })))
        .onConflictDoNothing();
  }
  const rows = await db
    .update(customers)
    .set({ marketingConsent: false, marketingConsentAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(inArray(customers.id, ids), eq(customers.merchantId, merchantId), eq(customers.marketingConsent, true)))
    .returning({ id: customers.id });
  if (rows.length)
    await dropQueuedNews(
      db,
      merchantId,
      rows.map((r) => r.id),
    );
  return rows.length > 0;
}

export const CONSENT_WITHDRAWN_REASON = "not sent: the customer withdrew marketing consent before it went out";

/**
 * Marketing SMS still queued for these customers, found by their own stop link at the end of the
 * text (only marketing SMS carry one; either form, so news queued before the short link came is
 * found too), not by phone (it may have changed since). Each is failed with the reason, and a
 * `message.failed` goes in its card's history as for any message not sent.
 */
async function dropQueuedNews(db: Db, merchantId: string, customerIds: string[]): Promise<void> {
  const links = customerIds.flatMap((id) => [unsubscribeLink(merchantId, id), `${appUrl()}/u/${legacyUnsubscribeToken(merchantId, id)}`]);
  const dropped = await db
    .update(outboxMessages)
    .set({ status: "failed", error: CONSENT_WITHDRAWN_REASON, updatedAt: sql`now()` })
    .where(
      and(
        eq(outboxMessages.merchantId, merchantId),
        eq(outboxMessages.status, "queued"),
        eq(outboxMessages.channel, "sms"),
        eq(outboxMessages.kind, "card"),
        // The link the text ends with (smsNewsText): one the merchant's own words carry names nobody.
        sql`exists (select 1 from unnest(${pgArray(links)}::text[]) as w(link) where right(${outboxMessages.body}, length(w.link)) = w.link)`,
      ),
    )
    .returning({
      id: outboxMessages.id,
      merchantId: outboxMessages.merchantId,
      kind: outboxMessages.kind,
      channel: outboxMessages.channel,
      cardId: outboxMessages.cardId,
    });
  const wakes = new Set<string>();
  for (const message of dropped)
    for (const job of await recordMessageOutcome(db, message, { status: "failed", reason: CONSENT_WITHDRAWN_REASON })) wakes.add(job);
  await wake(wakes);
}

const b64 = (b: Buffer) => b.toString("base64url");
const macOf = (merchantId: string, customerId: string) => createHmac("sha256", encryptionKey()).update(`unsubscribe:${merchantId}:${customerId}`).digest();
const uuidBytes = (id: string) => Buffer.from(id.replaceAll("-", ""), "hex");
const uuidOf = (b: Buffer) => {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/**
 * A short unguessable token naming one customer of one merchant (the SMS's stop link), 30 characters
 * of base64url: the customer's id and 48 bits of an HMAC over the merchant and the customer (the
 * merchant is the customer's own, looked up when the link is used). Every character of a link costs
 * in an SMS (a Cyrillic one holds 70), so it carries nothing more.
 */
export function unsubscribeToken(merchantId: string, customerId: string): string {
  return `${b64(uuidBytes(customerId))}${b64(macOf(merchantId, customerId).subarray(0, 6))}`;
}

/** The 56-character token SMS carried before: the merchant's id, the customer's, 72 bits of the HMAC. */
const legacyUnsubscribeToken = (merchantId: string, customerId: string) =>
  `${b64(uuidBytes(merchantId))}${b64(uuidBytes(customerId))}${b64(macOf(merchantId, customerId).subarray(0, 9))}`;

/**
 * Who a stop link names, checked: the 30-character token, or the 56-character one sent before (the
 * merchant's id, the customer's, 72 bits of the HMAC), which keeps working in SMS already out.
 */
export async function resolveUnsubscribeToken(db: Db, token: string): Promise<{ merchantId: string; customerId: string } | null> {
  const named = tokenParts(token);
  if (!named) return null;
  const merchantId =
    named.merchantId ?? (await db.select({ merchantId: customers.merchantId }).from(customers).where(eq(customers.id, named.customerId)))[0]?.merchantId;
  return merchantId && tokenHolds(token, merchantId, named.customerId) ? { merchantId, customerId: named.customerId } : null;
}

/** The ids a token of either form carries, unchecked (the short form names no merchant). */
function tokenParts(token: string): { merchantId?: string; customerId: string } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token) || (token.length !== 30 && token.length !== 56)) return null;
  const idAt = (from: number) => uuidOf(Buffer.from(token.slice(from, from + 22), "base64url"));
  return token.length === 56 ? { merchantId: idAt(0), customerId: idAt(22) } : { customerId: idAt(0) };
}

/** Whether the token's HMAC is the one for this merchant and customer: 9 bytes in the old form, 6 in the short one. */
function tokenHolds(token: string, merchantId: string, customerId: string): boolean {
  const mac = Buffer.from(token.slice(token.length === 56 ? 44 : 22), "base64url");
  return timingSafeEqual(mac, macOf(merchantId, customerId).subarray(0, mac.length));
}

/**
 * The customer whose stop link a merchant's message ends with (the line smsNewsText appends to
 * marketing SMS), checked against the merchant: null for any other message. Only the end counts: a
 * link the merchant's own words carry (another customer's, pasted from an earlier SMS) names nobody.
 * Read from the text rather than the card, which may have changed hands since; whatever address the
 * app had when it was queued.
 */
export function stopLinkCustomer(merchantId: string, body: string): string | null {
  const token = /\/u\/([A-Za-z0-9_-]{56}|[A-Za-z0-9_-]{30})$/.exec(body)?.[1];
  const named = token ? tokenParts(token) : null;
  return named && (named.merchantId ?? merchantId) === merchantId && tokenHolds(token!, merchantId, named.customerId) ? named.customerId : null;
}

/**
 * Whether a message about to go is marketing news its customer no longer wants: consent withdrawn
 * (or the customer gone) since it was queued. The withdrawal drops news still queued
 * (dropQueuedNews); this catches what it could not see: news a batch committed just after the
 * withdrawal, whose consent it had read just before, and news that was being sent then and went back
 * to the queue after a temporary failure. The outbox asks it as it claims each SMS.
 */
export async function newsWithdrawn(db: Db, message: { merchantId: string | null; body: string }): Promise<boolean> {
  if (!message.merchantId) return false;
  const customerId = stopLinkCustomer(message.merchantId, message.body);
  if (!customerId) return false;
  const [customer] = await db
    .select({ consent: customers.marketingConsent })
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.merchantId, message.merchantId)));
  return !customer?.consent;
}

/** Whose stop link this is, changing nothing (the page asks before it stops anything): the merchant's name, or null for a link that is not one. */
export async function describeUnsubscribeToken(db: Db, token: string): Promise<{ merchantName: string; merchantId: string; customerId: string } | null> {
  const who = await resolveUnsubscribeToken(db, token);
  if (!who) return null;
  const [merchant] = await db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, who.merchantId));
  return merchant ? { merchantName: merchant.name, ...who } : null;
}

/**
 * What the stop link's button does (a POST: link previewers and scanners that open the link change
 * nothing): withdraws the named customer's consent; the merchant's name, or null for a link that is not one.
 */
export async function unsubscribeByToken(db: Db, token: string): Promise<{ merchantName: string } | null> {
  const who = await describeUnsubscribeToken(db, token);
  if (!who) return null;
  await withdrawMarketingConsent(db, who.merchantId, who.customerId, "customer");
  return { merchantName: who.merchantName };
}

const appUrl = () => getEnv().APP_URL.replace(/\/$/, "");

export const unsubscribeLink = (merchantId: string, customerId: string) => `${appUrl()}/u/${unsubscribeToken(merchantId, customerId)}`;

/** The news text as sent: the message and how to stop, in the merchant's language (localeOfCountry). */
export const smsNewsText = (message: string, link: string, locale: Locale) => `${message}\n${locale === "ru" ? "Отписаться" : "Unsubscribe"}: ${link}`;

/** The language a merchant speaks to its customers in (localeOfCountry): its consent text, its news SMS' stop word. */
export async function merchantLocaleOf(db: Db, merchantId: string): Promise<Locale> {
  const [merchant] = await db.select({ country: merchants.country }).from(merchants).where(eq(merchants.id, merchantId));
  return localeOfCountry(merchant?.country);
}
