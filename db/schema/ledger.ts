import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { locations } from "./locations";
import { merchantRef } from "./merchants";
import { tills } from "./till";

export const ledgerTransactionType = pgEnum("ledger_transaction_type", ["accrue", "redeem", "purchase", "adjust", "reversal", "expire"]);
/** `pending` is for transactions awaiting the customer's confirmation code (a later issue); everything else completes at once. */
export const ledgerTransactionStatus = pgEnum("ledger_transaction_status", ["pending", "completed"]);

/**
 * One thing a till, a person or a job did to a card's points (lib/ledger is the only writer). Its
 * movements say what it moved; `accrued`/`redeemed` sum them up (for a reversal: points given back
 * and points taken back). Append-only; kept when its card is deleted.
 */
export const ledgerTransactions = pgTable(
  "ledger_transactions",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    /** No foreign key: the ledger outlives its card (lib/cards deleteCard writes the balance off first), as the events do. */
    cardId: uuid().notNull(),
    type: ledgerTransactionType().notNull(),
    status: ledgerTransactionStatus().notNull().default("completed"),
    /** Net change of the balance (signed). */
    points: integer().notNull(),
    accrued: integer().notNull().default(0),
    redeemed: integer().notNull().default(0),
    /** A purchase's receipt total, or the money a purchase's reversal refunds, in minor units. */
    amount: integer(),
    /** Points a reversal should have taken back but the customer had already spent. */
    shortfall: integer().notNull().default(0),
    balanceAfter: integer().notNull(),
    receipt: text(),
    locationId: uuid().references(() => locations.id, { onDelete: "set null" }),
    reason: text(),
    /** The till it was made at (its API key's, or chosen on the cashier screen); the cashier is the staff actor. */
    tillId: uuid().references(() => tills.id, { onDelete: "set null" }),
    /** Who did it, as in card_events: `staff` (user id), `api` (API key id), `system`. */
    actorType: text().notNull(),
    actorId: text(),
    /** Unique per merchant and never expires: a till retrying the next morning must not accrue twice. */
    idempotencyKey: text(),
    /** SHA-256 of the request as the service read it: the same key with another request is refused. */
    requestHash: text(),
    reversesId: uuid().references((): AnyPgColumn => ledgerTransactions.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ledger_transactions_merchant_key_idx")
      .on(t.merchantId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index("ledger_transactions_card_created_idx").on(t.cardId, t.createdAt, t.id),
    index("ledger_transactions_reverses_idx")
      .on(t.reversesId)
      .where(sql`${t.reversesId} is not null`),
    // The till guard rail: what a till redeemed in the last hour.
    index("ledger_transactions_till_created_idx")
      .on(t.tillId, t.createdAt)
      .where(sql`${t.tillId} is not null`),
    // ... and what a cashier redeemed on the cashier screen.
    index("ledger_transactions_staff_created_idx")
      .on(t.actorId, t.createdAt)
      .where(sql`${t.actorType} = 'staff'`),
    // ... and what an API key that belongs to no till redeemed (counted per key).
    index("ledger_transactions_api_created_idx")
      .on(t.actorId, t.createdAt)
      .where(sql`${t.actorType} = 'api' and ${t.tillId} is null`),
    check("ledger_transactions_balance_after_check", sql`${t.balanceAfter} >= 0`),
  ],
);

/**
 * One change of one card's balance; a purchase has two (the redemption, then the accrual).
 *
 * A credit (points > 0) is also a **lot**: the points it brought, `remaining` of them not yet spent or
 * expired, and when they expire (`expiresAt`, null: never). Lot columns on the movement rather than a
 * table of lots, because every credit is exactly one lot and every lot one credit: no second row to
 * write per accrual, and the lot keeps its transaction, card and time for free. Debits (points < 0)
 * keep `remaining` 0. Spending takes the soonest-expiring lots first (then the earliest earned); the
 * daily expiry job writes an `expire` transaction for what is left of each lot past its date. Points
 * credited before lots existed are in no lot (remaining 0): they never expire, and are spent after
 * every lot.
 */
export const ledgerMovements = pgTable(
  "ledger_movements",
  {
    id: uuid().primaryKey().defaultRandom(),
    transactionId: uuid()
      .notNull()
      .references(() => ledgerTransactions.id, { onDelete: "cascade" }),
    /** No foreign key, as the transaction's. */
    cardId: uuid().notNull(),
    points: integer().notNull(),
    balanceAfter: integer().notNull(),
    /** A lot's points not yet spent or expired (credits only). */
    remaining: integer().notNull().default(0),
    /** When a lot's remaining points expire; null: never. */
    expiresAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("ledger_movements_transaction_idx").on(t.transactionId),
    index("ledger_movements_card_created_idx").on(t.cardId, t.createdAt),
    // A card's open lots in the order they are spent; the daily job's lots past their date.
    index("ledger_movements_card_lots_idx")
      .on(t.cardId, t.expiresAt, t.createdAt)
      .where(sql`${t.remaining} > 0`),
    index("ledger_movements_expiring_idx")
      .on(t.expiresAt)
      .where(sql`${t.remaining} > 0 and ${t.expiresAt} is not null`),
    check("ledger_movements_balance_after_check", sql`${t.balanceAfter} >= 0`),
    check("ledger_movements_remaining_check", sql`${t.remaining} >= 0 and ${t.remaining} <= greatest(${t.points}, 0)`),
  ],
);

export type LedgerTransaction = typeof ledgerTransactions.$inferSelect;
export type LedgerMovement = typeof ledgerMovements.$inferSelect;
export type LedgerTransactionType = (typeof ledgerTransactionType.enumValues)[number];
