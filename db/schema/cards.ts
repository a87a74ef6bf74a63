import { sql } from "drizzle-orm";
import { bigint, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("customers_merchant_phone_idx").on(t.merchantId, t.phone), index("customers_phone_idx").on(t.phone)],
);

export const cardStatus = pgEnum("card_status", ["issued", "installed", "removed", "blocked", "expired"]);

/**
 * One pass. `updateTag` advances with every change that a wallet must fetch (PassKit's
 * passesUpdatedSince compares against it); status is derived from events, never typed in.
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
    balance: integer().notNull().default(0),
    discount: integer().notNull().default(0),
    custom: jsonb().$type<Record<string, string>>().notNull().default({}),
    expiresAt: timestamp({ withTimezone: true }),
    updateTag: bigint({ mode: "number" }).notNull().default(sql`(extract(epoch from now()) * 1000)::bigint`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("cards_merchant_number_idx").on(t.merchantId, t.number),
    index("cards_merchant_template_idx").on(t.merchantId, t.templateId),
    index("cards_merchant_updated_idx").on(t.merchantId, t.updatedAt),
  ],
);

export type Customer = typeof customers.$inferSelect;
export type Card = typeof cards.$inferSelect;
