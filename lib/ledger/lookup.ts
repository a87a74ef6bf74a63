import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, cardTemplates, customers } from "@/db/schema";
import { findCardDetail } from "@/db/queries/cards";
import { findCardByScan } from "@/lib/cards/scan";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";
import { programOf, stampProgramOf } from "@/lib/templates/definition";
import { discountOf, levelOf } from "./levels";
import { expiringOf } from "./lots";
import { maxRedeemable } from "./rules";
import { maxStampsRedeemable, stampsOf } from "./stamps";
import { checkUsable } from "./write";

/** Kinds a till finds by the holder's phone: the cards points and discounts are given on. */
const PHONE_KINDS = ["loyalty", "stamp"] as const;

const notFound = () => new AppError("card_not_found", "ledger.errors.cardNotFound");

/**
 * The card a till asks for: by what it scanned or typed (the barcode's value, else the card number)
 * or by the holder's phone (E.164) among loyalty and stamp cards — several are a choice for the
 * cashier (`several_cards`, each in `data.choices`). A blocked or expired card is refused. With
 * `amount`, `maxPoints` honours the programme's share-of-receipt cap.
 */
export async function lookupCard(db: Db, merchantId: string, query: { code?: string; phone?: string; id?: string; amount?: number }) {
  let cardId: string | undefined;
  // By id: a screen showing a card it found already asks again after a change (the cashier screen).
  if (query.id !== undefined) cardId = isUuid(query.id) ? query.id : undefined;
  else if (query.code !== undefined) {
    const scanned = await findCardByScan(db, merchantId, query.code);
    cardId = scanned?.card.id ?? (await findCardDetail(db, merchantId, { number: query.code.trim().toUpperCase() }))?.card.id;
  } else if (query.phone !== undefined) {
    const held = await db
      .select({ id: cards.id, number: cards.number, templateName: cardTemplates.name })
      .from(cards)
      .innerJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
      .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, merchantId)))
      .where(and(eq(cards.merchantId, merchantId), eq(customers.phone, query.phone), inArray(cardTemplates.kind, [...PHONE_KINDS])))
      .orderBy(asc(cards.createdAt), asc(cards.id))
      .limit(50);
    if (held.length > 1) throw new AppError("several_cards", "ledger.errors.severalCards", undefined, undefined, { choices: held });
    cardId = held[0]?.id;
  }
  const detail = cardId ? await findCardDetail(db, merchantId, { id: cardId }) : undefined;
  if (!detail) throw notFound();
  checkUsable(detail.card);
  const program = programOf(detail.template.kind, detail.definition);
  const stampProgram = stampProgramOf(detail.template.kind, detail.definition);
  return {
    ...detail,
    // A stamp card pays with whole rewards: the stamps they take (./stamps).
    maxPoints: stampProgram ? maxStampsRedeemable(stampProgram, detail.card.balance) : maxRedeemable(program, detail.card.balance, query.amount),
    stamps: stampProgram && stampsOf(stampProgram, detail.card.balance),
    expiring: await expiringOf(db, detail.card.id),
    level: levelOf(program, detail.card),
    discountPercent: discountOf(program, detail.card),
  };
}

/** A phone as a till may show it: the country code and the last two digits. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, "");
  const country = digits.length > 10 ? digits.slice(0, digits.length - 10) : "";
  return `+${country}${"*".repeat(digits.length - country.length - 2)}${digits.slice(-2)}`;
}
