import "server-only";
import { and, count, desc, eq, or } from "drizzle-orm";
import { localeOfCountry } from "@/i18n/config";
import type { Db } from "@/db";
import { cardEvents, cards, ledgerTransactions } from "@/db/schema";
import { maySkipConfirmation } from "@/lib/auth/roles";
import type { StaffContext } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { lookupCard } from "@/lib/ledger/lookup";
import { normalizePhone } from "@/lib/customers/phone";
import { programOf } from "@/lib/templates/definition";
import { checkPhoneLookup } from "./pin";
import type { TillContext } from "./post";
import { lookupScanned } from "./qr";
import { getTillOrThrow, getTillRules } from "./tills";

/** The cashier screen's till context: the till chosen on the screen (the merchant's own), the merchant's rules, the cashier's permission to skip. */
export async function staffTillContext(db: Db, staff: StaffContext, tillId: string | undefined | null): Promise<TillContext> {
  const till = tillId ? await getTillOrThrow(db, staff.merchantId, tillId) : null;
  return {
    merchantId: staff.merchantId,
    actor: { type: "staff", userId: staff.userId },
    till: till && { id: till.id, name: till.name, locationId: till.locationId },
    settings: await getTillRules(db, staff.merchantId),
    timeZone: staff.merchant.timeZone,
    maySkip: maySkipConfirmation(staff.user),
    locale: staff.user.locale ?? localeOfCountry(staff.merchant.country),
    merchantName: staff.merchant.name,
    currency: staff.merchant.currency,
  };
}

/**
 * One input on the cashier screen takes a scan, a typed number or a phone: as a code first (the
 * scanner's layout undone, a rotating QR resolved), then, when no card has that number and the text
 * reads as a phone, by phone (under the merchant's PIN rule).
 */
export async function findAtTill(db: Db, ctx: TillContext, typed: string, country: string) {
  const text = typed.trim();
  if (!text) throw new AppError("card_not_found", "ledger.errors.cardNotFound");
  try {
    return await lookupScanned(db, ctx.merchantId, text);
  } catch (err) {
    const phone = /^[+\d\s()-]{7,20}$/.test(text) ? normalizePhone(text, country) : null;
    if (!(err instanceof AppError && err.code === "card_not_found") || !phone) throw err;
    checkPhoneLookup(ctx.settings);
    return lookupCard(db, ctx.merchantId, { phone });
  }
}

/** The last transactions at this till (or, with no till chosen, by this cashier), newest first. */
export async function recentAtTill(db: Db, merchantId: string, who: { tillId: string | null; userId: string }, limit = 10) {
  return db
    .select({ transaction: ledgerTransactions, number: cards.number })
    .from(ledgerTransactions)
    .innerJoin(cards, and(eq(cards.id, ledgerTransactions.cardId), eq(cards.merchantId, merchantId)))
    .where(
      and(
        eq(ledgerTransactions.merchantId, merchantId),
        who.tillId ? eq(ledgerTransactions.tillId, who.tillId) : or(and(eq(ledgerTransactions.actorType, "staff"), eq(ledgerTransactions.actorId, who.userId))),
      ),
    )
    .orderBy(desc(ledgerTransactions.createdAt))
    .limit(limit);
}

export { programOf };

/** How many times a card's spending was completed without the customer's code (shown on the card page). */
export async function countSkippedConfirmations(db: Db, merchantId: string, cardId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(cardEvents)
    .where(and(eq(cardEvents.merchantId, merchantId), eq(cardEvents.cardId, cardId), eq(cardEvents.type, "points.confirmation_skipped")));
  return row?.n ?? 0;
}
