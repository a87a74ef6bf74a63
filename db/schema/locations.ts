import { doublePrecision, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { merchantRef } from "./merchants";

export const locations = pgTable(
  "locations",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    name: text().notNull(),
    address: text().notNull().default(""),
    latitude: doublePrecision().notNull(),
    longitude: doublePrecision().notNull(),
    nearbyText: text().notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("locations_merchant_name_idx").on(t.merchantId, t.name)],
);

export type Location = typeof locations.$inferSelect;
