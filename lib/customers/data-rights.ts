import "server-only";
import { createHmac } from "node:crypto";
import { and, asc, count, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray } from "@/db/rows";
import {
  cardEvents,
  cards,
  cardTemplates,
  consentRecords,
  customerDataRequests,
  customers,
  customerSessions,
  formSubmissions,
  ledgerTransactions,
  outboxMessages,
  referrals,
  tillCodes,
  users,
  type Customer,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { getEnv } from "@/lib/env";
import type { CardActor } from "@/lib/card-events";
import { setCardState } from "@/lib/cards";
import { NotFoundError } from "@/lib/errors";
import { toCsv } from "@/lib/reports/tables";
import { isUuid } from "@/lib/validations/common";

/** Who asks: a staff member from the cabinet, or the customer themselves signed in at /my or a merchant's page. */
export type DataRequester = { type: "staff"; userId: string } | { type: "customer" };

/** What an erased customer keeps of its phone: a keyed hash per merchant, to tell a returning phone (see customers.erasedPhoneHash). */
export function erasedPhoneHashOf(merchantId: string, phone: string): string {
  return createHmac("sha256", getEnv().authSecret).update(`erased-phone:${merchantId}:${phone}`).digest("base64url");
}

/** The keys of event data that name a person (card.holder_changed, card.sent): removed by an erasure. */
const PERSONAL_EVENT_KEYS = ["name", "phone", "email", "birthday", "to", "recipient"];
const ERASED = "[erased]";
/** The same keys in a webhook delivery's body: the event's data, and the holder of the card it carries. */
const WEBHOOK_PERSONAL_PATHS = [...PERSONAL_EVENT_KEYS.map((k) => `data,${k}`), ...["phone", "email", "name"].map((k) => `data,card,customer,${k}`)];

async function customerOrThrow(db: Db, merchantId: string, customerId: string): Promise<Customer> {
  const [row] = isUuid(customerId)
    ? await db
        .select()
        .from(customers)
        .where(and(eq(customers.id, customerId), eq(customers.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

async function audit(tx: Db, merchantId: string, customerId: string, kind: "export" | "erase", by: DataRequester, format?: string) {
  await tx.insert(customerDataRequests).values({
    merchantId,
    customerId,
    kind,
    requestedBy: by.type,
    userId: by.type === "staff" ? by.userId : null,
    format: format ?? null,
  });
  if (by.type === "staff")
    await recordAudit(
      tx,
      { merchantId, userId: by.userId },
      { action: `customer.data_${kind}`, entityType: "customer", entityId: customerId, after: { format } },
    );
}

export type CustomerData = Awaited<ReturnType<typeof collect>>;

/** Everything held about one customer of one merchant: the record, cards, points, history, answers and consents. */
async function collect(db: Db, merchantId: string, customer: Customer) {
  const held = await db
    .select({ card: cards, template: cardTemplates.name })
    .from(cards)
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, cards.merchantId)))
    .where(and(eq(cards.merchantId, merchantId), eq(cards.customerId, customer.id)))
    .orderBy(asc(cards.createdAt));
  const cardIds = held.map((h) => h.card.id);
  const none = sql`false`;
  const [transactions, events, submissions, consents] = await Promise.all([
    db
      .select()
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.merchantId, merchantId), cardIds.length ? inArray(ledgerTransactions.cardId, cardIds) : none))
      .orderBy(asc(ledgerTransactions.createdAt)),
    db
      .select({ id: cardEvents.id, cardId: cardEvents.cardId, type: cardEvents.type, data: cardEvents.data, createdAt: cardEvents.createdAt })
      .from(cardEvents)
      .where(
        and(
          eq(cardEvents.merchantId, merchantId),
          or(cardIds.length ? inArray(cardEvents.cardId, cardIds) : none, sql`${cardEvents.data}->>'customerId' = ${customer.id}`),
        ),
      )
      .orderBy(asc(cardEvents.createdAt)),
    db
      .select({
        formId: formSubmissions.formId,
        formVersion: formSubmissions.formVersion,
        answers: formSubmissions.answers,
        createdAt: formSubmissions.createdAt,
      })
      .from(formSubmissions)
      .where(and(eq(formSubmissions.merchantId, merchantId), eq(formSubmissions.customerId, customer.id))),
    db
      .select({
        key: consentRecords.consentKey,
        version: consentRecords.textVersion,
        text: consentRecords.text,
        agreed: consentRecords.agreed,
        marketing: consentRecords.marketing,
        at: consentRecords.at,
      })
      .from(consentRecords)
      .where(and(eq(consentRecords.merchantId, merchantId), eq(consentRecords.customerId, customer.id))),
  ]);
  return {
    customer: {
      id: customer.id,
      phone: customer.phone,
      email: customer.email,
      name: customer.name,
      birthday: customer.birthday,
      marketingConsent: customer.marketingConsent,
      marketingConsentText: customer.marketingConsentText,
      marketingConsentAt: customer.marketingConsentAt,
      createdAt: customer.createdAt,
    },
    cards: held.map(({ card, template }) => ({
      id: card.id,
      number: card.number,
      template,
      status: card.status,
      balance: card.balance,
      discount: card.discount,
      expiresAt: card.expiresAt,
      createdAt: card.createdAt,
    })),
    transactions: transactions.map((t) => ({
      cardId: t.cardId,
      type: t.type,
      points: t.points,
      amount: t.amount,
      balanceAfter: t.balanceAfter,
      receipt: t.receipt,
      createdAt: t.createdAt,
    })),
    events,
    formAnswers: submissions,
    consents,
  };
}

/** The export as one CSV: a row per fact, `section, id, field, value` (formula-safe, as every CSV here). */
export function customerDataCsv(data: CustomerData, merchantId?: string): string {
  const rows: (string | number | null)[][] = [];
  const put = (section: string, id: string, record: Record<string, unknown>) => {
    for (const [field, value] of Object.entries(record)) {
      const shown =
        value === null || value === undefined
          ? null
          : value instanceof Date
            ? value.toISOString()
            : typeof value === "object"
              ? JSON.stringify(value)
              : String(value);
      rows.push([merchantId ? `${merchantId}/${section}` : section, id, field, shown]);
    }
  };
  put("customer", data.customer.id, data.customer);
  data.cards.forEach((c) => put("card", c.id, c));
  data.transactions.forEach((t, i) => put("transaction", String(i + 1), t));
  data.events.forEach((e) => put("event", e.id, e));
  data.formAnswers.forEach((s, i) => put("form_answers", String(i + 1), s));
  data.consents.forEach((c, i) => put("consent", String(i + 1), c));
  return toCsv({ columns: ["section", "id", "field", "value"], rows });
}

/** Exports everything held about a customer of a merchant, and records who asked and when. */
export async function exportCustomerData(db: Db, merchantId: string, customerId: string, by: DataRequester, format: "json" | "csv"): Promise<CustomerData> {
  const customer = await customerOrThrow(db, merchantId, customerId);
  const data = await collect(db, merchantId, customer);
  await db.transaction((tx) => audit(tx, merchantId, customer.id, "export", by, format));
  return data;
}

/**
 * Erases a customer of a merchant (152-FZ, GDPR): each card is deactivated through the cards' own path,
 * so its pass is voided in the wallets by the wallet follower as for any deactivation; then the
 * personal fields go (name, phone, e-mail, birthday, consent texts, form answers), and the events and
 * messages that carried them keep only what the books need. The ledger and the events stay, so the
 * figures still add up. Running it again finishes an erasure a crash cut short.
 */
export async function eraseCustomer(db: Db, merchantId: string, customerId: string, by: DataRequester): Promise<{ cards: number }> {
  const customer = await customerOrThrow(db, merchantId, customerId);
  const actor: CardActor = by.type === "staff" ? { type: "staff", userId: by.userId } : { type: "system" };
  const held = await db
    .select({ id: cards.id })
    .from(cards)
    .where(and(eq(cards.merchantId, merchantId), eq(cards.customerId, customer.id)));
  for (const { id } of held) await setCardState(db, merchantId, actor, id, "deactivated");
  const cardIds = held.map((c) => c.id);
  await db.transaction(async (tx) => {
    await tx
      .update(customers)
      .set({
        phone: null,
        erasedPhoneHash: customer.phone ? erasedPhoneHashOf(merchantId, customer.phone) : null,
        email: null,
        name: "",
        birthday: null,
        marketingConsent: false,
        marketingConsentText: null,
        marketingConsentAt: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(customers.id, customer.id), eq(customers.merchantId, merchantId)));
    await tx
      .update(formSubmissions)
      .set({ answers: {} })
      .where(and(eq(formSubmissions.merchantId, merchantId), eq(formSubmissions.customerId, customer.id)));
    // Events are append-only except here: the law asks that the person's data go, the facts stay.
    if (cardIds.length)
      await tx
        .update(cardEvents)
        .set({ data: sql`${cardEvents.data} - ${sql.raw(`array[${PERSONAL_EVENT_KEYS.map((k) => `'${k}'`).join(",")}]`)}::text[]` })
        .where(and(eq(cardEvents.merchantId, merchantId), inArray(cardEvents.cardId, cardIds)));
    // Webhook bodies are the events' data with the card as the API shows it (its holder included), kept as sent.
    if (cardIds.length)
      await tx.execute(sql`
        update webhook_deliveries set body = (body::jsonb ${sql.raw(WEBHOOK_PERSONAL_PATHS.map((p) => `#- '{${p}}'`).join(" "))})::text
        where merchant_id = ${merchantId}::uuid
          and event_id in (select id from card_events where merchant_id = ${merchantId}::uuid and card_id = any(${pgArray(cardIds)}::uuid[]))`);
    if (customer.phone) {
      await tx
        .update(outboxMessages)
        .set({ recipient: ERASED, body: ERASED })
        .where(and(eq(outboxMessages.merchantId, merchantId), eq(outboxMessages.recipient, customer.phone)));
      await tx.delete(customerSessions).where(and(eq(customerSessions.merchantId, merchantId), eq(customerSessions.phone, customer.phone)));
      // A till's phone + PIN authorizations keep the phone they were asked for.
      await tx
        .update(tillCodes)
        .set({ phone: null })
        .where(and(eq(tillCodes.merchantId, merchantId), eq(tillCodes.phone, customer.phone)));
    }
    if (customer.email)
      await tx
        .update(outboxMessages)
        .set({ recipient: ERASED, body: ERASED })
        .where(and(eq(outboxMessages.merchantId, merchantId), eq(outboxMessages.recipient, customer.email)));
    await tx
      .delete(referrals)
      .where(and(eq(referrals.merchantId, merchantId), eq(referrals.inviterCustomerId, customer.id), sql`${referrals.rewardedAt} is null`));
    await audit(tx, merchantId, customer.id, "erase", by);
  });
  return { cards: cardIds.length };
}

/** The customers a signed-in phone is, at one merchant or (a platform session) at every merchant. */
export async function customersOfPhone(db: Db, phone: string, merchantId: string | null) {
  return db
    .select({ id: customers.id, merchantId: customers.merchantId })
    .from(customers)
    .where(merchantId ? and(eq(customers.phone, phone), eq(customers.merchantId, merchantId)) : eq(customers.phone, phone));
}

export const DATA_REQUESTS_PAGE_SIZE = 50;

/**
 * The merchant's log of data requests, newest first: each export and erasure, whether the customer
 * asked at /my or staff did it from a card's page, with the customer's (first) card to open — an erased
 * customer shows no name, only that the request was carried out.
 */
export async function listDataRequests(db: Db, merchantId: string, page: number) {
  const r = customerDataRequests;
  const where = eq(r.merchantId, merchantId);
  // Spelt out: a bare "customer_id" inside the subquery would be the card's own.
  const firstCard = sql<string | null>`(select c.id from ${cards} c
    where c.customer_id = customer_data_requests.customer_id and c.merchant_id = customer_data_requests.merchant_id order by c.created_at limit 1)`;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: r.id,
        kind: r.kind,
        requestedBy: r.requestedBy,
        format: r.format,
        createdAt: r.createdAt,
        customerId: r.customerId,
        customerName: customers.name,
        customerPhone: customers.phone,
        staffName: users.name,
        cardId: firstCard,
      })
      .from(r)
      .leftJoin(customers, and(eq(customers.id, r.customerId), eq(customers.merchantId, merchantId)))
      .leftJoin(users, and(eq(users.id, r.userId), eq(users.merchantId, merchantId)))
      .where(where)
      .orderBy(desc(r.createdAt), desc(r.id))
      .limit(DATA_REQUESTS_PAGE_SIZE)
      .offset((page - 1) * DATA_REQUESTS_PAGE_SIZE),
    db.select({ total: count() }).from(r).where(where),
  ]);
  return { rows, total };
}
