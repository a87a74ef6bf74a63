import { sql } from "drizzle-orm";
import { pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { merchantRef } from "./merchants";

/**
 * A merchant's signing and API credentials, sealed with lib/crypto/secrets (never stored in clear).
 * `apple_dev` / `google_dev` are the development certificate and key the app makes when the merchant has uploaded none.
 */
export const credentialKind = pgEnum("credential_kind", ["apple", "apple_dev", "google", "google_dev"]);

export const merchantCredentials = pgTable(
  "merchant_credentials",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    kind: credentialKind().notNull(),
    sealed: text().notNull(),
    passTypeId: text(),
    teamId: text(),
    expiresAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("merchant_credentials_merchant_kind_idx").on(t.merchantId, t.kind),
    // A pass type identifier belongs to one merchant: Wallet's requests name only the pass type and serial.
    uniqueIndex("merchant_credentials_apple_pass_type_idx")
      .on(t.passTypeId)
      .where(sql`${t.kind} = 'apple'`),
  ],
);

export type MerchantCredential = typeof merchantCredentials.$inferSelect;
