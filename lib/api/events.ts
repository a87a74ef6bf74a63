import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { cardTemplates, cards, customers, ledgerTransactions } from "@/db/schema";
import type { FeedKeyset, FeedRow } from "@/db/queries/events-feed";
import { publicEventId } from "@/lib/card-events/public-id";
import { presentCard, presentTemplate } from "./cards";
import { presentCustomer } from "./customers";
import { invalidField } from "./errors";
import { presentTransaction } from "./ledger";
import type { ApiCard } from "./schemas";

export type ApiEvent = { id: string; type: string; timestamp: string; data: Record<string, unknown> };

/**
 * A page of events with the objects they are about, as the REST API shows them: the card as it is now
 * for `card.*` (null once deleted), the transaction with the card's id and its balance after it for
 * `points.*`, the template for `template.*`; the event's own facts (a platform, a move's from/to) beside
 * them. Each kind of object is read in one query for the whole page.
 */
export async function presentEvents(db: Db, merchantId: string, rows: FeedRow[]): Promise<ApiEvent[]> {
  const cardIds = [...new Set(rows.filter((r) => r.card_id && r.type.startsWith("card.")).map((r) => r.card_id!))];
  const txIds = [...new Set(rows.filter((r) => r.type.startsWith("points.")).map((r) => String(r.data.transactionId ?? "")))].filter(Boolean);
  const customerIds = [...new Set(rows.filter((r) => r.type.startsWith("customer.")).map((r) => String(r.data.customerId ?? "")))].filter(Boolean);
  const templateIds = [...new Set(rows.filter((r) => r.type.startsWith("template.")).map((r) => String(r.data.templateId ?? "")))].filter(Boolean);
  const [cardRows, txRows, templateRows, customerRows] = await Promise.all([
    cardIds.length
      ? db
          .select({ card: cards, customer: customers })
          .from(cards)
          .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
          .where(and(eq(cards.merchantId, merchantId), inArray(cards.id, cardIds)))
      : [],
    txIds.length
      ? db
          .select()
          .from(ledgerTransactions)
          .where(and(eq(ledgerTransactions.merchantId, merchantId), inArray(ledgerTransactions.id, txIds)))
      : [],
    templateIds.length
      ? db
          .select()
          .from(cardTemplates)
          .where(and(eq(cardTemplates.merchantId, merchantId), inArray(cardTemplates.id, templateIds)))
      : [],
    customerIds.length
      ? db
          .select()
          .from(customers)
          .where(and(eq(customers.merchantId, merchantId), inArray(customers.id, customerIds)))
      : [],
  ]);
  const customersById = new Map(customerRows.map((c) => [c.id, presentCustomer(c)]));
  const cardsById = new Map<string, ApiCard>(cardRows.map((r) => [r.card.id, presentCard(r)]));
  const txById = new Map(txRows.map((t) => [t.id, t]));
  const templatesById = new Map(templateRows.map((t) => [t.id, t]));

  return rows.map((r) => {
    const facts = { ...r.data };
    let data: Record<string, unknown>;
    if (r.type.startsWith("points.")) {
      const t = txById.get(String(facts.transactionId));
      delete facts.transactionId;
      delete facts.balance;
      data = { cardId: r.card_id, balance: t?.balanceAfter ?? r.data.balance ?? null, transaction: t ? presentTransaction(t) : null, ...facts };
    } else if (r.type.startsWith("card.")) data = { cardId: r.card_id, card: (r.card_id && cardsById.get(r.card_id)) ?? null, ...facts };
    else if (r.type.startsWith("template.")) {
      const t = templatesById.get(String(facts.templateId));
      data = { ...facts, template: t ? presentTemplate(t) : null };
    } else if (r.type.startsWith("customer.")) data = { ...facts, customer: customersById.get(String(facts.customerId)) ?? null };
    else data = { ...(r.card_id && { cardId: r.card_id }), ...facts };
    return { id: publicEventId(r.id), type: r.type, timestamp: new Date(r.created_at).toISOString(), data };
  });
}

/** Feed cursors are opaque (base64url of the keyset), as the card list's are. */
export function encodeFeedCursor(keyset: FeedKeyset): string {
  return Buffer.from(JSON.stringify([keyset.tx, keyset.seq])).toString("base64url");
}

export function decodeFeedCursor(cursor: string): FeedKeyset {
  try {
    const [tx, seq] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof tx === "string" && /^\d{1,20}$/.test(tx) && typeof seq === "string" && /^\d{1,18}$/.test(seq)) return { tx, seq };
  } catch {
    // Not base64 JSON: refused below like any other cursor this API did not make.
  }
  throw invalidField("after", "api.errors.cursor");
}
