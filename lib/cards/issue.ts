import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, customers, type Card, type CardTemplate } from "@/db/schema";
import { record } from "@/lib/card-events";
import { upsertCustomers, type CustomerInput } from "@/lib/customers";
import { recordOpeningBalances } from "@/lib/ledger/write";
import { barcodeRefusal, programOf, type TemplateDefinition } from "@/lib/templates/definition";
import type { CardActor } from "./actor";
import { generateCardNumber } from "./numbers";

/** One card to issue: the holder and the card's first values. `expiresAt` undefined = the template's policy. */
export type IssueRow = {
  customer: CustomerInput;
  balance?: number;
  discount?: number;
  custom?: Record<string, string>;
  expiresAt?: Date | null;
  number?: string | null;
};

export type IssueTemplate = { template: Pick<CardTemplate, "id" | "kind">; definition: TemplateDefinition };

export type RowRefusal = { index: number; message: string; params?: Record<string, string | number> };

export type IssueResult = { issued: { index: number; card: Card }[]; skipped: number[]; refused: RowRefusal[] };

const token = (bytes: number) => randomBytes(bytes).toString("base64url");

/** The expiry a new card gets from its template: none, a fixed last day, or N days from issue. */
export function policyExpiry(expiry: TemplateDefinition["expiry"], now = new Date()): Date | null {
  if (expiry.mode === "fixed") return new Date(`${expiry.date}T23:59:59Z`);
  if (expiry.mode === "afterIssue") return new Date(now.getTime() + expiry.days * 86_400_000);
  return null;
}

/** The custom values a template's fields show; only these can be set on its cards. */
export function customKeysOf(definition: TemplateDefinition): string[] {
  const keys = Object.values(definition.fields)
    .flat()
    .filter((f) => f.source === "custom")
    .map((f) => f.customKey);
  return [...new Set(keys)];
}

const MAX_NUMBER_ROUNDS = 6;

/**
 * One card per phone per template: the card of this template the phone already holds (the first
 * issued, if several were issued on purpose), or undefined. Every surface that issues asks this.
 */
export async function findHeldCard(tx: Db, merchantId: string, templateId: string, phone: string): Promise<Card | undefined> {
  const [row] = await tx
    .select({ card: cards })
    .from(cards)
    .innerJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
    .where(and(eq(cards.merchantId, merchantId), eq(cards.templateId, templateId), eq(customers.phone, phone)))
    .orderBy(asc(cards.createdAt), asc(cards.id))
    .limit(1);
  return row?.card;
}

/**
 * Holds, until the transaction ends, the right to issue a card of this template to this phone: two
 * requests at once (a double click, a retried API call) cannot both find no card and both issue one.
 */
export async function lockHolder(tx: Db, merchantId: string, templateId: string, phone: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`card-holder:${merchantId}:${templateId}:${phone}`}, 0))`);
}

/**
 * Issues a batch of cards of one template in the caller's transaction, set-based: customers found or
 * created by phone in one statement, cards inserted in one statement per round (numbers that collide
 * with existing ones are drawn again), one event each. A row whose own number is taken or cannot be
 * drawn by the template's barcode is refused alone; with `skipExisting`, a phone that already holds a
 * card of this template is skipped, so running the same file twice issues nothing twice.
 */
export async function issueCardsBatch(tx: Db, merchantId: string, source: IssueTemplate, rows: IssueRow[], actor: CardActor, options: { skipExisting?: boolean } = {}): Promise<IssueResult> {
  const result: IssueResult = { issued: [], skipped: [], refused: [] };
  if (!rows.length) return result;
  const { template, definition } = source;
  const customersByPhone = await upsertCustomers(tx, merchantId, rows.map((r) => r.customer));

  let pending = rows.map((row, index) => ({ row, index, customerId: customersByPhone.get(row.customer.phone)!.id }));
  if (options.skipExisting) {
    const holders = await tx
      .selectDistinct({ customerId: cards.customerId })
      .from(cards)
      .where(and(eq(cards.merchantId, merchantId), eq(cards.templateId, template.id), isNotNull(cards.customerId), inArray(cards.customerId, [...new Set(pending.map((p) => p.customerId))])));
    const has = new Set(holders.map((h) => h.customerId));
    result.skipped = pending.filter((p) => has.has(p.customerId)).map((p) => p.index);
    pending = pending.filter((p) => !has.has(p.customerId));
  }

  const refuse = (index: number, message: string, params?: Record<string, string | number>) => result.refused.push({ index, message, params });
  const own = pending.filter((p) => p.row.number);
  const badBarcode = new Set<number>();
  for (const p of own) {
    const problem = definition.barcode.source === "cardNumber" ? barcodeRefusal(definition.barcode.format, p.row.number!) : null;
    if (problem) {
      refuse(p.index, problem);
      badBarcode.add(p.index);
    }
  }
  pending = pending.filter((p) => !badBarcode.has(p.index));

  const now = new Date();
  const defaultExpiry = policyExpiry(definition.expiry, now);
  const welcome = programOf(template.kind, definition)?.welcomeBonus ?? 0;
  const taken = new Set<string>();
  let round = 0;
  while (pending.length) {
    round += 1;
    const values = pending.map((p) => ({
      merchantId,
      templateId: template.id,
      customerId: p.customerId,
      number: p.row.number || generateCardNumber(definition.numbering, definition.barcode.format),
      serialNumber: token(18),
      authenticationToken: token(24),
      linkToken: token(24),
      // The opening balance and welcome bonus, as the ledger records them below (recordOpeningBalances).
      balance: (p.row.balance ?? 0) + welcome,
      discount: p.row.discount ?? 0,
      custom: p.row.custom ?? {},
      expiresAt: p.row.expiresAt === undefined ? defaultExpiry : p.row.expiresAt,
    }));
    const inserted = await tx.insert(cards).values(values).onConflictDoNothing({ target: [cards.merchantId, cards.number] }).returning();
    const byNumber = new Map(inserted.map((c) => [c.number, c]));
    const retry: typeof pending = [];
    pending.forEach((p, i) => {
      const card = byNumber.get(values[i].number);
      // Two rows of one round drawing the same number: the second simply draws again.
      if (card && card.customerId === p.customerId && !taken.has(card.id)) {
        taken.add(card.id);
        result.issued.push({ index: p.index, card });
      }
      else if (p.row.number) refuse(p.index, "cards.errors.numberTaken", { number: p.row.number });
      else if (round >= MAX_NUMBER_ROUNDS) refuse(p.index, "cards.errors.numbersExhausted");
      else retry.push(p);
    });
    pending = retry;
  }

  // A new card is in no wallet yet, so nothing follows it that needs waking now.
  await record(
    tx,
    { merchantId, actor },
    result.issued.map(({ card }) => ({
      type: "card.issued" as const,
      cardId: card.id,
      data: { templateId: template.id, number: card.number, balance: card.balance, ...(welcome > 0 && { welcomeBonus: welcome }), discount: card.discount, expiresAt: card.expiresAt?.toISOString() ?? null },
    })),
  );
  await recordOpeningBalances(tx, { merchantId, actor }, result.issued.map(({ index, card }) => ({ card, given: rows[index].balance ?? 0, welcome })));
  result.issued.sort((a, b) => a.index - b.index);
  return result;
}
