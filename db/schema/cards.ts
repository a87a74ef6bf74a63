import type { EventName } from "../../lib/card-events/names";
import { sql } from "drizzle-orm";
import { bigint, boolean, customType, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { merchantRef } from "./merchants";
import { cardTemplates } from "./templates";

/** Card holders. The same phone at two merchants is two rows. */
export const customers = pgTable(
  "customers",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    phone: text(),
    email: text(),
    name: text().notNull().default(""),
    birthday: date(),
    /** Marketing consent (SMS news): the exact text agreed and when; withdrawn (false) at once by the unsubscribe link. */
    marketingConsent: boolean().notNull().default(false),
    marketingConsentText: text(),
    marketingConsentAt: timestamp({ withTimezone: true }),
    /**
     * After an erasure: a keyed hash of the phone it had (lib/customers/data-rights), never the phone. It
     * lets an offer for new customers (a referral) know the phone was a customer before, so erasing and
     * enrolling again does not farm it; nothing can read the phone back from it.
     */
    erasedPhoneHash: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("customers_merchant_phone_idx").on(t.merchantId, t.phone),
    index("customers_merchant_erased_phone_idx").on(t.merchantId, t.erasedPhoneHash),
    index("customers_phone_idx").on(t.phone),
    // The API's customer list pages by (created_at, id), newest first.
    index("customers_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
  ],
);

export const cardStatus = pgEnum("card_status", ["issued", "installed", "removed", "blocked", "expired"]);
/** Why a card is blocked: lost (blocked on loss) or turned off by the merchant (deactivated). */
export const cardBlockReason = pgEnum("card_block_reason", ["lost", "deactivated"]);

/**
 * One pass. `updateTag` advances with every change that a wallet must fetch (PassKit's
 * passesUpdatedSince compares against it); status is derived from what happened (db/queries/card-status),
 * never typed in.
 */
export const cards = pgTable(
  "cards",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    templateId: uuid()
      .notNull()
      .references(() => cardTemplates.id, { onDelete: "restrict" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    number: text().notNull(),
    serialNumber: text().notNull().unique(),
    authenticationToken: text().notNull(),
    linkToken: text().notNull().unique(),
    status: cardStatus().notNull().default("issued"),
    blockReason: cardBlockReason(),
    balance: integer().notNull().default(0),
    discount: integer().notNull().default(0),
    /**
     * The total of the card's purchases less refunds, in minor units (lib/ledger keeps it with the
     * balance): a cumulative-discount programme's level is derived from it.
     */
    purchaseTotal: bigint({ mode: "number" }).notNull().default(0),
    /**
     * A starting level (a company's, given at enrolment): the card never stands below the level this
     * purchase total earns (lib/ledger/levels levelOf). Kept as the level's threshold in minor units, not
     * its index: the merchant may add, remove or reorder the template's levels later, and a threshold
     * still names a level (the one that much spending earns) where an index would point at another or
     * at none. Null: no floor.
     */
    levelFloor: bigint({ mode: "number" }),
    custom: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** The last push notification's text: the pass's back-side news field (change message `%@`) shows it. */
    news: text(),
    /** The dynamic promotion laid over this card's template while it runs (lib/push-events). */
    promotionId: uuid(),
    expiresAt: timestamp({ withTimezone: true }),
    /** The registration group or company whose link issued the card (registration_sources; no foreign key: sources are retired, not deleted). */
    sourceId: uuid(),
    /** When a wallet first took the card: `removed` means it was installed once and is in none now. */
    firstInstalledAt: timestamp({ withTimezone: true }),
    updateTag: bigint({ mode: "number" })
      .notNull()
      .default(sql`(extract(epoch from now()) * 1000)::bigint`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("cards_merchant_number_idx").on(t.merchantId, t.number),
    index("cards_merchant_template_idx").on(t.merchantId, t.templateId),
    index("cards_merchant_updated_idx").on(t.merchantId, t.updatedAt),
    index("cards_merchant_status_idx").on(t.merchantId, t.status),
    index("cards_customer_idx").on(t.customerId),
    index("cards_source_idx")
      .on(t.sourceId)
      .where(sql`${t.sourceId} is not null`),
    index("cards_promotion_idx")
      .on(t.promotionId)
      .where(sql`${t.promotionId} is not null`),
    // The expiry job looks for cards whose date has passed but whose status does not say so yet.
    index("cards_expiry_idx")
      .on(t.expiresAt)
      .where(sql`${t.expiresAt} is not null and ${t.status} <> 'expired'`),
  ],
);

/** PostgreSQL's 64-bit transaction id (`xid8`), read as text: it outgrows a JS number's exact range. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });

/**
 * Everything that happened, append-only (written only by lib/card-events): never updated, never
 * deleted with its card (`card.deleted` stays, and reports rebuild from events), so `card_id` has no
 * foreign key. Most events are about a card; some are not (a template saved, a campaign started).
 */
export const cardEvents = pgTable(
  "card_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    cardId: uuid(),
    /** A dotted name from lib/card-events/names (`card.issued`, `points.accrued`, …). */
    type: text().$type<EventName>().notNull(),
    /** Who did it: `staff` (userId), `api` (API key id), `device` (a wallet), `system` (a job). */
    actorType: text().notNull(),
    actorId: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    /**
     * The writing transaction's id and the order of writing: the events feed pages by (tx_id, seq) and
     * serves only transactions older than every one still running (lib/api/events-feed.ts), so an
     * event that commits late is never behind a cursor already handed out.
     */
    txId: xid8()
      .notNull()
      .default(sql`pg_current_xact_id()`),
    seq: bigint({ mode: "number" }).notNull().generatedAlwaysAsIdentity(),
  },
  (t) => [
    index("card_events_card_created_idx").on(t.cardId, t.createdAt),
    index("card_events_merchant_feed_idx").on(t.merchantId, t.txId, t.seq),
    index("card_events_merchant_type_created_idx").on(t.merchantId, t.type, t.createdAt),
  ],
);

/**
 * Cards whose wallets must hear of a change: written in the same transaction as the change, drained
 * by the worker (APNs pushes, Google object patches). One row per card, so changes made within the
 * coalescing window become one push.
 */
export const walletUpdates = pgTable(
  "wallet_updates",
  {
    cardId: uuid()
      .primaryKey()
      .references(() => cards.id, { onDelete: "cascade" }),
    merchantId: merchantRef(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Bumped by every change while queued: a drain settles the row only if no change came in meanwhile. */
    revision: integer().notNull().default(0),
    /** The push event whose message this update carries: the drain counts its outcomes there. */
    campaignId: uuid(),
    attempts: integer().notNull().default(0),
    lastError: text(),
  },
  (t) => [index("wallet_updates_due_idx").on(t.dueAt)],
);

export type Customer = typeof customers.$inferSelect;
export type Card = typeof cards.$inferSelect;
export type CardStatus = (typeof cardStatus.enumValues)[number];
export type CardEvent = typeof cardEvents.$inferSelect;
export type CardEventType = EventName;
