import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { cards } from "./cards";
import { createdAt, updatedAt } from "./columns";
import { locations } from "./locations";
import { merchantRef } from "./merchants";
import { cardTemplates } from "./templates";

/**
 * A till (a cash register or the cashier screen on a tablet): a name, the point of sale it stands
 * at, and its own API key. A transaction made with the key records the till.
 */
export const tills = pgTable(
  "tills",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    name: text().notNull(),
    locationId: uuid().references(() => locations.id, { onDelete: "set null" }),
    apiKeyId: uuid().references(() => apiKeys.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("tills_merchant_idx").on(t.merchantId, t.name), uniqueIndex("tills_api_key_idx").on(t.apiKeyId)],
);

/** A merchant's rules at the till; no row: the defaults (no limits, phone lookup without a PIN, first active loyalty template). */
export const tillSettings = pgTable("till_settings", {
  merchantId: merchantRef().primaryKey(),
  /** Points one card may redeem per day (merchant's time zone); null: no limit. */
  redeemPerCardPerDay: integer(),
  /** Points one till (or one cashier on the cashier screen) may redeem in an hour; null: no limit. */
  redeemPerTillPerHour: integer(),
  /** `lookup?phone=` answers without a PIN; off: 403 `pin_required`, tills use the PIN flow. */
  phoneWithoutPin: boolean().notNull().default(true),
  /** How a confirmation code reaches the customer: `sms`, or `call` (the merchant's provider calls; SMS when that fails). */
  confirmChannel: text().$type<"sms" | "call">().notNull().default("sms"),
  /** The template cards issued at the counter get; null: the first active loyalty template. */
  issueTemplateId: uuid().references(() => cardTemplates.id, { onDelete: "set null" }),
  updatedAt: updatedAt(),
});

/**
 * A one-time code at the till: a `confirmation` before points are spent (its id is the id the
 * ledger transaction gets once confirmed; `request` holds what to post) or a phone + PIN
 * `authorization` (card null when the phone holds none). The code is stored only as an HMAC.
 */
export const tillCodes = pgTable(
  "till_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    kind: text().$type<"confirmation" | "authorization">().notNull(),
    cardId: uuid().references(() => cards.id, { onDelete: "cascade" }),
    tillId: uuid().references(() => tills.id, { onDelete: "set null" }),
    phone: text(),
    channel: text().notNull(),
    codeHash: text(),
    triesLeft: integer().notNull(),
    request: jsonb().$type<Record<string, unknown>>(),
    status: text().$type<"pending" | "completed" | "cancelled" | "expired">().notNull().default("pending"),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("till_codes_merchant_idx").on(t.merchantId, t.createdAt),
    index("till_codes_pending_expiry_idx")
      .on(t.expiresAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Pre-printed card numbers (the reference's group operations): `prefix` + a number from `fromNumber`
 * to `toNumber`, on a template, with a starting balance and discount; a card exists once a till
 * activates its number.
 */
export const cardStockRanges = pgTable(
  "card_stock_ranges",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    templateId: uuid()
      .notNull()
      .references(() => cardTemplates.id, { onDelete: "cascade" }),
    prefix: text().notNull().default(""),
    fromNumber: bigint({ mode: "number" }).notNull(),
    toNumber: bigint({ mode: "number" }).notNull(),
    digits: integer().notNull(),
    /**
     * The printed number ends in a Luhn check digit over prefix digits + number (lib/till/stock), so a
     * mistyped number is told apart from an unknown one. Ranges made before check digits keep false.
     */
    checkDigit: boolean().notNull().default(false),
    balance: integer().notNull().default(0),
    discount: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("card_stock_ranges_merchant_idx").on(t.merchantId, t.prefix)],
);

export type Till = typeof tills.$inferSelect;
export type TillSettings = typeof tillSettings.$inferSelect;
export type TillCode = typeof tillCodes.$inferSelect;
export type CardStockRange = typeof cardStockRanges.$inferSelect;
