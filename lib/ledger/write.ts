import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { reusable } from "@/db/reusable";
import { currentVersionOf } from "@/db/queries/templates";
import {
  cards,
  cardTemplates,
  cardTemplateVersions,
  ledgerMovements,
  ledgerTransactions,
  locations,
  type Card,
  type LedgerTransaction,
  type LedgerTransactionType,
} from "@/db/schema";
import { nextUpdateTag } from "@/db/queries/card-status";
import { recordAudit } from "@/lib/audit";
import { actorColumns } from "@/lib/card-events/actor";
import { record, type DomainEvent, type EventContext, type Wake } from "@/lib/card-events";
import { AppError, NotFoundError } from "@/lib/errors";
import { expiryOf, programOf, stampProgramOf, type Kind, type LoyaltyProgram, type PointsExpiry, type StampProgram } from "@/lib/templates/definition";
import { isPoolCard, syncCodeStatus } from "@/lib/gift-certificates/ledger-rules";
import { BALANCE_MAX } from "@/lib/validations/limits";
import { levelOf } from "./levels";
import { lotExpiry, spendLots } from "./lots";

/** A card as the ledger works on it: locked, with the programme its template runs (points, or stamps for a stamp card). */
/** `pooled`: the card holds a code of a certificate or coupon pool (lib/gift-certificates). */
export type LockedCard = { card: Card; program: LoyaltyProgram | null; stamps?: StampProgram | null; kind?: Kind; pooled?: boolean };

/**
 * Locks the card's row until the transaction ends and reads it with its template's programme.
 *
 * Why a row lock (`SELECT … FOR UPDATE`) rather than a conditional `UPDATE … WHERE balance >= n`: a
 * transaction reads the balance for more than one decrement — the programme's caps and minimum, a
 * purchase's two movements each with its balance after, a reversal's shortfall and what earlier
 * reversals undid — so it needs the balance to hold still from the first read to the write. The
 * lock is per card, so different cards never wait on each other, and only one card is locked per
 * transaction, so there is no lock order to get wrong (no deadlocks). Fifty tills redeeming on one
 * card queue on its row and each sees the balance the one before left: it is spent exactly once.
 */
export async function lockCard(tx: Db, merchantId: string, cardId: string): Promise<LockedCard> {
  const [row] = await lockedCard(tx, { merchantId, cardId });
  if (!row) throw new NotFoundError();
  return {
    card: row.card,
    program: programOf(row.kind, row.definition),
    stamps: stampProgramOf(row.kind, row.definition),
    kind: row.kind,
    pooled: row.pooled,
  };
}

// The ledger's hot statements, built once (db/reusable): a till runs them on every receipt.
const lockedCard = reusable((tx) =>
  tx
    .select({
      card: cards,
      kind: cardTemplates.kind,
      definition: cardTemplateVersions.definition,
      // Only a coupon-kind card asks (a gift card is always the pools'); by the pool's unique card index.
      pooled: sql<boolean>`(${cardTemplates.kind} = 'coupon' and exists (select 1 from certificate_codes cc where cc.card_id = ${cards.id} and cc.merchant_id = ${cards.merchantId}))`,
    })
    .from(cards)
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, sql.placeholder("merchantId"))))
    .innerJoin(cardTemplateVersions, currentVersionOf(sql.placeholder("merchantId")))
    .where(and(eq(cards.id, sql.placeholder("cardId")), eq(cards.merchantId, sql.placeholder("merchantId"))))
    .for("update", { of: cards }),
);

const setBalance = reusable((tx) =>
  tx
    .update(cards)
    .set({
      balance: sql`${sql.placeholder("balance")}::int`,
      purchaseTotal: sql`${sql.placeholder("purchaseTotal")}::bigint`,
      // The card's discount is its level's (null: no levels, the card's own stays), so every reader of the card (the pass's `discount` field) sees it.
      discount: sql`coalesce(${sql.placeholder("discount")}::int, ${cards.discount})`,
      updateTag: nextUpdateTag,
      updatedAt: sql`now()`,
    })
    .where(and(eq(cards.id, sql.placeholder("cardId")), eq(cards.merchantId, sql.placeholder("merchantId")))),
);

type MovementsInsert = (tx: Db, values: Record<string, unknown>) => Promise<unknown>;
const movementInserts = new Map<string, MovementsInsert>();

/**
 * A transaction's movements, credits as lots expiring as the programme says (counted from now, or from
 * `earnedAt`). Built once per shape (which rows are credits, the kind of expiry, a given start): a handful.
 */
function insertMovements(
  tx: Db,
  expiry: PointsExpiry,
  merchantId: string,
  earnedAt: Date | undefined,
  transactionId: string,
  cardId: string,
  moves: number[],
  after: number[],
) {
  const shape = `${moves.map((p) => (p > 0 ? "+" : "-")).join("")}:${expiry.kind}:${earnedAt ? "at" : "now"}`;
  let run = movementInserts.get(shape);
  if (!run) {
    const p = (name: string) => sql.placeholder(name) as unknown as never;
    const expiresAt = lotExpiry(
      expiry.kind === "days" ? { kind: "days", days: p("days") } : expiry,
      p("merchantId"),
      earnedAt ? sql`${sql.placeholder("earnedAt")}::timestamptz` : undefined,
    );
    run = reusable((db) =>
      db.insert(ledgerMovements).values(
        moves.map((points, i) => ({
          transactionId: p("transactionId"),
          cardId: p("cardId"),
          points: p(`points${i}`),
          balanceAfter: p(`after${i}`),
          ...(points > 0 && { remaining: p(`points${i}`), expiresAt }),
        })),
      ),
    );
    movementInserts.set(shape, run);
  }
  return run(tx, {
    transactionId,
    cardId,
    merchantId,
    ...(expiry.kind === "days" && { days: expiry.days }),
    ...(earnedAt && { earnedAt: earnedAt.toISOString() }),
    ...Object.fromEntries(
      moves.flatMap((points, i) => [
        [`points${i}`, points],
        [`after${i}`, after[i]],
      ]),
    ),
  });
}

const TRANSACTION_COLUMNS = [
  "merchantId",
  "cardId",
  "type",
  "points",
  "accrued",
  "redeemed",
  "amount",
  "shortfall",
  "balanceAfter",
  "receipt",
  "locationId",
  "reason",
  "tillId",
  "idempotencyKey",
  "requestHash",
  "reversesId",
  "actorType",
  "actorId",
] as const;
type TransactionValues = { [K in (typeof TRANSACTION_COLUMNS)[number]]: LedgerTransaction[K] } & { id: string | null };

const insertTransaction = reusable<LedgerTransaction[], TransactionValues>((tx) =>
  tx
    .insert(ledgerTransactions)
    .values({
      ...Object.fromEntries(TRANSACTION_COLUMNS.map((c) => [c, sql.placeholder(c)])),
      // A confirmed transaction keeps the id its pending confirmation was answered with (lib/till).
      id: sql`coalesce(${sql.placeholder("id")}::uuid, gen_random_uuid())`,
    } as unknown as typeof ledgerTransactions.$inferInsert)
    .returning(),
);

/** A till may only move points on a card that works: blocked and expired cards are refused. */
export function checkUsable(card: Card, now = new Date()): void {
  if (card.blockReason || card.status === "blocked") throw new AppError("card_blocked", "ledger.errors.cardBlocked");
  if (card.status === "expired" || (card.expiresAt && card.expiresAt <= now)) throw new AppError("card_expired", "ledger.errors.cardExpired");
}

export async function checkLocation(tx: Db, merchantId: string, locationId: string | undefined): Promise<void> {
  if (!locationId) return;
  const [found] = await tx
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.id, locationId), eq(locations.merchantId, merchantId)));
  if (!found) throw new AppError("validation", "ledger.errors.location", { locationId: "ledger.errors.location" });
}

export type Entry = {
  type: LedgerTransactionType;
  /** The balance's changes, in order (a purchase: the redemption, then the accrual); zeros are left out. */
  movements: number[];
  accrued: number;
  redeemed: number;
  amount?: number | null;
  shortfall?: number;
  receipt?: string | null;
  locationId?: string | null;
  reason?: string | null;
  /** The till it is made at (lib/till). */
  tillId?: string | null;
  /** The id to give the transaction (a confirmed one keeps its confirmation's); left out: a new one. */
  id?: string | null;
  idempotencyKey?: string | null;
  requestHash?: string | null;
  reversesId?: string | null;
  /** Credits are lots expiring as the programme says, counted from now or from this time (points a reversal gives back). */
  earnedAt?: Date;
  /** Debits spend the lots of this transaction first (a reversal of an accrual takes back its own points). */
  spendFirstFrom?: string | null;
  /** False when the caller settles the lots itself (the expiry job empties the one lot it expires). */
  spendLots?: boolean;
  /** Money this transaction adds to the card's total of purchases (a refund: negative); a level may change. */
  purchaseDelta?: number;
  /** More facts for the transaction's event. */
  eventData?: Record<string, unknown>;
  /** More events of this transaction (lib/till: a confirmation skipped), with its id added to their data. */
  extraEvents?: DomainEvent[];
};

const EVENT_OF: Partial<Record<LedgerTransactionType, DomainEvent["type"]>> = {
  adjust: "points.adjusted",
  reversal: "points.reversed",
  expire: "points.expired",
};

/**
 * Writes one transaction on a card locked by `lockCard`, in the caller's transaction: its movements,
 * the card's new balance (the ledger's running total; nothing else writes it) with a new update tag,
 * and its events through the events door, whose wallet follower queues the pass update. Returns the
 * transaction and the jobs to wake after commit.
 */
export async function writeEntry(tx: Db, ctx: EventContext, locked: LockedCard, entry: Entry): Promise<{ transaction: LedgerTransaction; wake: Wake }> {
  const { card } = locked;
  const moves = entry.movements.filter((p) => p !== 0);
  let balance = card.balance;
  const after = moves.map((p) => (balance += p));
  // The rules never ask for this; the CHECK constraints stand behind it too.
  if (balance < 0 || after.some((b) => b < 0)) throw new Error("ledger: a movement would take the balance below zero");
  if (balance > BALANCE_MAX) throw new AppError("validation", "cards.errors.balance", { points: "cards.errors.balance" });
  const purchaseTotal = Math.max(0, card.purchaseTotal + (entry.purchaseDelta ?? 0));
  // The floor (a starting level) holds on both sides: a refund never takes the card below it.
  const levelBefore = levelOf(locked.program, card);
  const levelAfter = levelOf(locked.program, { purchaseTotal, levelFloor: card.levelFloor });
  // Every value the writes need is known now (the transaction's id is made here), so they go to the
  // database together, in this order, in one round trip: PostgreSQL runs them one after another in
  // this transaction, and the first that fails fails the rest and the transaction (a purchase paid
  // 0.1–0.3 ms of each side's CPU and a round trip per statement; bench/pos).
  const transactionId = entry.id ?? randomUUID();
  const points = balance - card.balance;
  const receipt = entry.receipt ?? null;
  const shortfall = entry.shortfall ?? 0;
  const writes: Promise<unknown>[] = [];
  if (moves.length || purchaseTotal !== card.purchaseTotal) {
    writes.push(setBalance(tx, { balance, purchaseTotal, discount: levelAfter?.discountPercent ?? null, cardId: card.id, merchantId: ctx.merchantId }));
  }
  const inserted = insertTransaction(tx, {
    merchantId: ctx.merchantId,
    cardId: card.id,
    type: entry.type,
    points,
    accrued: entry.accrued,
    redeemed: entry.redeemed,
    amount: entry.amount ?? null,
    shortfall,
    balanceAfter: balance,
    receipt,
    locationId: entry.locationId ?? null,
    reason: entry.reason ?? null,
    tillId: entry.tillId ?? null,
    id: transactionId,
    idempotencyKey: entry.idempotencyKey ?? null,
    requestHash: entry.requestHash ?? null,
    reversesId: entry.reversesId ?? null,
    ...actorColumns(ctx.actor),
  });
  writes.push(inserted);
  if (moves.length) {
    writes.push(insertMovements(tx, expiryOf(locked.program), ctx.merchantId, entry.earnedAt, transactionId, card.id, moves, after));
    // After the inserts, so a reversal that takes back more than the older lots hold spends the points it gives back too.
    const spent = moves.reduce((sum, p) => sum + Math.max(-p, 0), 0);
    if (entry.spendLots !== false) writes.push(spendLots(tx, card.id, spent, { firstFrom: entry.spendFirstFrom, own: transactionId }));
  }

  const data = { transactionId, balance, ...(receipt && { receipt }) };
  const events: DomainEvent[] = [];
  const gift = isPoolCard(locked);
  const own = EVENT_OF[entry.type];
  // A gift certificate's money: its redemptions and expiry are certificate.* events (lib/gift-certificates), its balance the pool's status.
  if (gift && (entry.type === "redeem" || entry.type === "expire")) {
    const type = entry.type === "redeem" ? ("certificate.redeemed" as const) : ("certificate.expired" as const);
    events.push({
      type,
      cardId: card.id,
      data: { certificateId: card.id, transactionId, amount: Math.abs(points), remaining: balance, ...entry.eventData },
    });
  } else if (own)
    events.push({
      type: own,
      cardId: card.id,
      data: {
        ...data,
        points,
        ...(entry.reversesId && { reverses: entry.reversesId, shortfall }),
        ...entry.eventData,
      },
    });
  else {
    if (entry.redeemed) events.push({ type: "points.redeemed", cardId: card.id, data: { ...data, points: entry.redeemed } });
    if (entry.accrued) events.push({ type: "points.accrued", cardId: card.id, data: { ...data, points: entry.accrued } });
  }
  if (levelAfter && levelAfter.index !== levelBefore?.index)
    events.push({
      type: "level.changed",
      cardId: card.id,
      data: {
        transactionId,
        from: levelBefore?.name ?? null,
        to: levelAfter.name,
        level: levelAfter.index,
        discountPercent: levelAfter.discountPercent,
        purchaseTotal,
      },
    });
  for (const extra of entry.extraEvents ?? []) events.push({ ...extra, data: { ...extra.data, transactionId } });
  const recorded = record(tx, ctx, events);
  writes.push(recorded);
  await Promise.all(writes);
  const [transaction] = await inserted;
  const wake = await recorded;
  if (gift && moves.length && entry.type !== "expire") await syncCodeStatus(tx, ctx.merchantId, card.id, balance);
  if (ctx.actor.type === "staff") {
    await recordAudit(
      tx,
      { merchantId: ctx.merchantId, userId: ctx.actor.userId },
      {
        action: `ledger.${entry.type}`,
        entityType: "card",
        entityId: card.id,
        after: { number: card.number, transactionId: transaction.id, points: transaction.points, balance, ...(entry.reason && { reason: entry.reason }) },
      },
    );
  }
  return { transaction, wake };
}

/**
 * The first points of newly issued cards, set-based in the issuing transaction (imports issue
 * thousands at once): an `adjust` for a balance given at issue, an `accrue` for the programme's
 * welcome bonus. The cards were inserted with that total as their balance, so the ledger's running
 * total and the card agree from the start. No events of their own: the card's `card.issued` carries
 * its opening balance and welcome bonus, and a new card is in no wallet to update.
 */
export async function recordOpeningBalances(
  tx: Db,
  ctx: EventContext,
  rows: { card: Card; given: number; welcome: number }[],
  program: LoyaltyProgram | null = null,
): Promise<void> {
  const entries = rows.flatMap(({ card, given, welcome }) => [
    ...(given > 0 ? [{ card, type: "adjust" as const, points: given, balanceAfter: given, reason: "opening balance" }] : []),
    ...(welcome > 0 ? [{ card, type: "accrue" as const, points: welcome, balanceAfter: given + welcome, reason: "welcome bonus" }] : []),
  ]);
  if (!entries.length) return;
  const who = actorColumns(ctx.actor);
  const expiresAt = lotExpiry(expiryOf(program), ctx.merchantId) ?? sql`null`;
  // One statement whatever the batch size: the entries travel as one JSON parameter (an import's
  // thousands of rows built as drizzle values cost more time and memory than the database's work).
  const json = JSON.stringify(entries.map((e) => ({ card_id: e.card.id, type: e.type, points: e.points, balance_after: e.balanceAfter, reason: e.reason })));
  await tx.execute(sql`
    with t as (
      insert into ${ledgerTransactions} (merchant_id, card_id, type, points, accrued, balance_after, reason, actor_type, actor_id)
      select ${ctx.merchantId}::uuid, r.card_id, r.type, r.points, r.points, r.balance_after, r.reason, ${who.actorType}, ${who.actorId}
      from jsonb_to_recordset(${json}::jsonb) as r(card_id uuid, type ledger_transaction_type, points integer, balance_after integer, reason text)
      returning id, card_id, points, balance_after)
    insert into ${ledgerMovements} (transaction_id, card_id, points, balance_after, remaining, expires_at)
    select t.id, t.card_id, t.points, t.balance_after, t.points, ${expiresAt} from t`);
}
