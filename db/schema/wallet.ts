import { index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { cards } from "./cards";
import { createdAt, updatedAt } from "./columns";
import { merchantRef } from "./merchants";

export const walletPlatform = pgEnum("wallet_platform", ["apple", "google"]);

/**
 * A wallet that holds passes: an Apple device (its library identifier and the push token it gave for
 * one pass type), or, for Google, the saved object itself (Google does not name devices).
 * `model` is what the reports count by: iPhone, iPad, Apple Watch, Android.
 */
export const walletDevices = pgTable(
  "wallet_devices",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    platform: walletPlatform().notNull(),
    deviceLibraryId: text().notNull(),
    passTypeId: text().notNull(),
    pushToken: text(),
    model: text().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("wallet_devices_identity_idx").on(t.deviceLibraryId, t.passTypeId, t.merchantId, t.platform)],
);

/** A card held by a device. */
export const walletRegistrations = pgTable(
  "wallet_registrations",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    deviceId: uuid()
      .notNull()
      .references(() => walletDevices.id, { onDelete: "cascade" }),
    cardId: uuid()
      .notNull()
      .references(() => cards.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("wallet_registrations_device_card_idx").on(t.deviceId, t.cardId), index("wallet_registrations_card_idx").on(t.cardId)],
);

/** Lines Apple Wallet posts to the log endpoint, kept for the merchant whose card (serial number) they name. */
export const walletLogs = pgTable(
  "wallet_logs",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    message: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("wallet_logs_merchant_created_idx").on(t.merchantId, t.createdAt)],
);

export type WalletDevice = typeof walletDevices.$inferSelect;
export type WalletRegistration = typeof walletRegistrations.$inferSelect;
export type WalletPlatform = (typeof walletPlatform.enumValues)[number];
