import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { merchantRef } from "./merchants";

export const notificationLevel = pgEnum("notification_level", ["info", "success", "warning", "error"]);

/** Top-bar notifications. `kind` + `params` are rendered through the translations, so each reader sees their own language. */
export const merchantNotifications = pgTable(
  "merchant_notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    kind: text().notNull(),
    params: jsonb().$type<Record<string, string | number>>().notNull().default({}),
    level: notificationLevel().notNull().default("info"),
    createdAt: createdAt(),
    archivedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("merchant_notifications_merchant_idx").on(t.merchantId, t.createdAt)],
);

export type MerchantNotification = typeof merchantNotifications.$inferSelect;
