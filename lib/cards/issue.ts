import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { mapRow, pgArray, rowsOf } from "@/db/rows";
import { cards, customers, type Card, type CardTemplate } from "@/db/schema";
import { record, type DomainEvent } from "@/lib/card-events";
import { upsertCustomerIds, type CustomerInput } from "@/lib/customers";
import { discountOf } from "@/lib/ledger/levels";
import { recordOpeningBalances } from "@/lib/ledger/write";
import { barcodeRefusal, programOf, type TemplateDefinition } from "@/lib/templates/definition";
import type { CardActor } from "./actor";
import type { CardSource } from "@/lib/reports/dimensions";
import { generateCardNumber } from "./numbers";

/** One card to issue: the holder and the card's first values. `expiresAt` undefined = the template's policy. */
export type IssueRow = {
  customer: CustomerInput;
  balance?: number;
  discount?: number;
  /** A starting level: the threshold (minor units) the card's level never falls below (lib/ledger/levels). */
  levelFloor?: number | null;
  custom?: Record<string, string>;
  expiresAt?: Date | null;
  number?: string | null;
};

export type IssueTemplate = { template: Pick<CardTemplate, "id" | "kind">; definition: TemplateDefinition };

export type RowRefusal = { index: number; message: string; params?: Record<string, string | number> };

export type IssueResult = { issued: { index: number; card: Card }[]; skipped: number[]; refused: RowRefusal[] };

/** Per card: serial (18 bytes), authentication token (24) and link token (24), as 24 + 32 + 32 base64url characters. */
const TOKEN_BYTES = 66;
const TOKEN_CHARS = 88;

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
 * Which of these customers already hold a card of the template. One index probe per customer
 * (cards_customer_idx), so a batch costs the same whether the template has ten cards or a million.
 * Spelt so the planner has no other index to choose: mid-import its statistics still say the template
 * has almost no cards, and it would rather walk all of them (cards_merchant_template_idx) per batch.
 */
async function heldCustomerIds(tx: Db, merchantId: string, templateId: string, customerIds: string[]): Promise<string[]> {
  if (!customerIds.length) return [];
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select u.id from unnest(${pgArray(customerIds)}::uuid[]) as u(id)
      cross join lateral (select 1 from cards c where c.customer_id = u.id and (c.merchant_id = ${merchantId}::uuid and c.template_id = ${templateId}::uuid) is true limit 1) held`),
  );
  return rows.map((r) => r.id);
}

/**
 * Issues a batch of cards of one template in the caller's transaction, set-based: customers found or
 * created by phone in one statement, cards inserted in one statement per round (numbers that collide
 * with existing ones are drawn again), one event each. A row whose own number is taken or cannot be
 * drawn by the template's barcode is refused alone; with `skipExisting`, a phone that already holds a
 * card of this template is skipped, so running the same file twice issues nothing twice.
 */
export async function issueCardsBatch(
  tx: Db,
  merchantId: string,
  source: IssueTemplate,
  rows: IssueRow[],
  actor: CardActor,
  options: {
    skipExisting?: boolean;
    source?: CardSource;
    /** The event each issued card records instead of `card.issued` (a gift certificate's `certificate.issued`). */
    issuedEvent?: (card: Card, index: number) => DomainEvent;
  } = {},
): Promise<IssueResult> {
  const result: IssueResult = { issued: [], skipped: [], refused: [] };
  if (!rows.length) return result;
  const { template, definition } = source;
  const customerIds = await upsertCustomerIds(
    tx,
    merchantId,
    rows.map((r) => r.customer),
  );

  let pending = rows.map((row, index) => ({ row, index, customerId: customerIds.get(row.customer.phone)!.id }));
  if (options.skipExisting) {
    // A customer this batch created holds no card yet: only the ones that were there already are looked up.
    const known = [...customerIds.values()].filter((c) => !c.created).map((c) => c.id);
    const holders = await heldCustomerIds(tx, merchantId, template.id, known);
    const has = new Set(holders);
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
  const program = programOf(template.kind, definition);
  const welcome = program?.welcomeBonus ?? 0;
  const taken = new Set<string>();
  let round = 0;
  while (pending.length) {
    round += 1;
    // One draw from the CSPRNG per round rather than three per card.
    const random = randomBytes(pending.length * TOKEN_BYTES).toString("base64url");
    const values = pending.map((p, i) => ({
      customer_id: p.customerId,
      number: p.row.number || generateCardNumber(definition.numbering, definition.barcode.format),
      serial_number: random.slice(i * TOKEN_CHARS, i * TOKEN_CHARS + 24),
      authentication_token: random.slice(i * TOKEN_CHARS + 24, i * TOKEN_CHARS + 56),
      link_token: random.slice(i * TOKEN_CHARS + 56, i * TOKEN_CHARS + 88),
      // The opening balance and welcome bonus, as the ledger records them below (recordOpeningBalances).
      balance: (p.row.balance ?? 0) + welcome,
      // A fixed-discount programme's discount, or a cumulative one's first level (or its floor's), unless the row gives one.
      discount: p.row.discount ?? discountOf(program, { discount: 0, purchaseTotal: 0, levelFloor: p.row.levelFloor ?? null }),
      level_floor: p.row.levelFloor ?? null,
      custom: p.row.custom ?? {},
      expires_at: (p.row.expiresAt === undefined ? defaultExpiry : p.row.expiresAt)?.toISOString() ?? null,
    }));
    // One statement per round whatever the batch size: the rows travel as one JSON parameter.
    const inserted = rowsOf<Record<string, unknown>>(
      await tx.execute(sql`
        insert into cards (merchant_id, template_id, customer_id, number, serial_number, authentication_token, link_token, balance, discount, level_floor, custom, expires_at)
        select ${merchantId}::uuid, ${template.id}::uuid, r.customer_id, r.number, r.serial_number, r.authentication_token, r.link_token, r.balance, r.discount, r.level_floor, r.custom, r.expires_at
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as r(customer_id uuid, number text, serial_number text, authentication_token text, link_token text, balance integer, discount integer, level_floor bigint, custom jsonb, expires_at timestamptz)
        on conflict (merchant_id, number) do nothing
        returning *`),
    ).map((raw) => mapRow(cards, raw));
    const byNumber = new Map(inserted.map((c) => [c.number, c]));
    const retry: typeof pending = [];
    pending.forEach((p, i) => {
      const card = byNumber.get(values[i].number);
      // Two rows of one round drawing the same number: the second simply draws again.
      if (card && card.customerId === p.customerId && !taken.has(card.id)) {
        taken.add(card.id);
        result.issued.push({ index: p.index, card });
      } else if (p.row.number) refuse(p.index, "cards.errors.numberTaken", { number: p.row.number });
      else if (round >= MAX_NUMBER_ROUNDS) refuse(p.index, "cards.errors.numbersExhausted");
      else retry.push(p);
    });
    pending = retry;
  }

  // A new card is in no wallet yet, so nothing follows it that needs waking now.
  await record(
    tx,
    { merchantId, actor },
    result.issued.map(
      ({ card, index }) =>
        options.issuedEvent?.(card, index) ??
        ({
          type: "card.issued" as const,
          cardId: card.id,
          data: {
            templateId: template.id,
            ...(options.source && { source: options.source }),
            number: card.number,
            balance: card.balance,
            ...(welcome > 0 && { welcomeBonus: welcome }),
            discount: card.discount,
            ...(card.levelFloor !== null && { levelFloor: card.levelFloor }),
            expiresAt: card.expiresAt?.toISOString() ?? null,
          },
        } satisfies DomainEvent),
    ),
  );
  await recordOpeningBalances(
    tx,
    { merchantId, actor },
    result.issued.map(({ index, card }) => ({ card, given: rows[index].balance ?? 0, welcome })),
    program,
  );
  result.issued.sort((a, b) => a.index - b.index);
  return result;
}
