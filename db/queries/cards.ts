import { and, asc, count, desc, eq, gt, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { currentVersionOf } from "./templates";
import { reusable } from "@/db/reusable";
import { cardEvents, cards, cardTemplates, cardTemplateVersions, customers, users, walletDevices, walletRegistrations, type CardStatus } from "@/db/schema";

export type CardFilters = { search?: string; phoneDigits?: string; templateId?: string; status?: CardStatus };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function cardWhere(merchantId: string, f: CardFilters): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(cards.merchantId, merchantId)];
  if (f.templateId) conditions.push(eq(cards.templateId, f.templateId));
  if (f.status) conditions.push(eq(cards.status, f.status));
  if (f.search) {
    const like = `%${escapeLike(f.search)}%`;
    conditions.push(
      or(
        ilike(cards.number, like),
        ilike(customers.name, like),
        ilike(customers.email, like),
        f.phoneDigits && f.phoneDigits.length >= 3 ? sql`${customers.phone} like ${`%${escapeLike(f.phoneDigits)}%`}` : undefined,
      ),
    );
  }
  return and(...conditions);
}

/** A page of the merchant's cards with their holders and templates, most recently changed first. */
export async function listCardRows(db: Db, merchantId: string, filters: CardFilters, page: { page: number; pageSize: number }) {
  const where = cardWhere(merchantId, filters);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ card: cards, customer: customers, templateName: cardTemplates.name, templateKind: cardTemplates.kind })
      .from(cards)
      .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
      .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, merchantId)))
      .where(where)
      .orderBy(desc(cards.updatedAt), desc(cards.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db
      .select({ total: count() })
      .from(cards)
      .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
      .where(where),
  ]);
  return { rows, total };
}

/** The next ids of cards matching filters (or among chosen ids), in id order after `afterId`: for work done in batches. */
type CardTarget = { filters: CardFilters } | { ids: string[] };

/** The merchant's cards among chosen ids, or matching filters. */
function targetWhere(merchantId: string, target: CardTarget): SQL | undefined {
  return "ids" in target
    ? and(eq(cards.merchantId, merchantId), target.ids.length ? inArray(cards.id, target.ids) : sql`false`)
    : cardWhere(merchantId, target.filters);
}

export async function listCardIdsAfter(db: Db, merchantId: string, target: CardTarget, afterId: string | null, limit: number): Promise<string[]> {
  const scope = targetWhere(merchantId, target);
  const rows = await db
    .select({ id: cards.id })
    .from(cards)
    .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
    .where(and(scope, afterId ? gt(cards.id, afterId) : undefined))
    .orderBy(asc(cards.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function countCardsMatching(db: Db, merchantId: string, target: CardTarget): Promise<number> {
  const scope = targetWhere(merchantId, target);
  const [{ total }] = await db
    .select({ total: count() })
    .from(cards)
    .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
    .where(scope);
  return total;
}

/** One card with its holder, template and the template's current design. */
const cardDetailBy = (by: "id" | "number") =>
  reusable((db) =>
    db
      .select({ card: cards, customer: customers, template: cardTemplates, definition: cardTemplateVersions.definition })
      .from(cards)
      .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, sql.placeholder("merchantId"))))
      .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, sql.placeholder("merchantId"))))
      .innerJoin(cardTemplateVersions, currentVersionOf(sql.placeholder("merchantId")))
      .where(and(eq(cards.merchantId, sql.placeholder("merchantId")), eq(by === "id" ? cards.id : cards.number, sql.placeholder("value")))),
  );
const cardDetailById = cardDetailBy("id");
const cardDetailByNumber = cardDetailBy("number");

/** A card with its holder, template and the template's current design (a till's lookup: built once, see db/reusable). */
export async function findCardDetail(db: Db, merchantId: string, where: { id: string } | { number: string }) {
  const [row] = "id" in where ? await cardDetailById(db, { merchantId, value: where.id }) : await cardDetailByNumber(db, { merchantId, value: where.number });
  return row;
}

export async function listCardEventRows(db: Db, merchantId: string, cardId: string, page: { page: number; pageSize: number }) {
  const where = and(eq(cardEvents.merchantId, merchantId), eq(cardEvents.cardId, cardId));
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ event: cardEvents, userName: users.name })
      .from(cardEvents)
      .leftJoin(users, and(eq(cardEvents.actorType, "staff"), sql`${users.id}::text = ${cardEvents.actorId}`, eq(users.merchantId, merchantId)))
      .where(where)
      .orderBy(desc(cardEvents.createdAt), desc(cardEvents.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db.select({ total: count() }).from(cardEvents).where(where),
  ]);
  return { rows, total };
}

export async function listCardDeviceRows(db: Db, merchantId: string, cardId: string) {
  return db
    .select({
      registeredAt: walletRegistrations.createdAt,
      platform: walletDevices.platform,
      model: walletDevices.model,
      deviceLibraryId: walletDevices.deviceLibraryId,
    })
    .from(walletRegistrations)
    .innerJoin(walletDevices, and(eq(walletDevices.id, walletRegistrations.deviceId), eq(walletDevices.merchantId, merchantId)))
    .where(and(eq(walletRegistrations.merchantId, merchantId), eq(walletRegistrations.cardId, cardId)))
    .orderBy(asc(walletRegistrations.createdAt));
}

/** Cards of one customer (a holder's details show on each of their passes). */
export async function listCustomerCardIds(db: Db, merchantId: string, customerId: string): Promise<string[]> {
  const rows = await db
    .select({ id: cards.id })
    .from(cards)
    .where(and(eq(cards.merchantId, merchantId), eq(cards.customerId, customerId)));
  return rows.map((r) => r.id);
}
