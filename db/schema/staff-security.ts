import { bigint, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { merchantRef, users } from "./merchants";

/** A staff member's sign-in: the JWT carries its id, and a request whose row is ended is signed out. */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** "Chrome on macOS", read from the user agent at sign-in. */
    device: text().notNull(),
    userAgent: text().notNull(),
    ip: text().notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
    /** `signed_out`, `ended_by_self`, `ended_by_owner`, `password_reset`. */
    endedReason: text(),
  },
  (t) => [index("staff_sessions_user_idx").on(t.userId, t.createdAt), index("staff_sessions_merchant_idx").on(t.merchantId)],
);

/**
 * Every staff sign-in attempt on a known account, kept for its history (failures too). Attempts on
 * unknown e-mails are not recorded: they belong to no merchant, and the throttle already counts them.
 */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** `success`, `bad_password`, `bad_code`, `throttled`, `inactive`, `code_required`. */
    outcome: text().notNull(),
    /** `password`, `totp`, `recovery_code`. */
    method: text().notNull(),
    device: text().notNull(),
    ip: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sign_in_attempts_user_idx").on(t.userId, t.createdAt), index("sign_in_attempts_merchant_idx").on(t.merchantId, t.createdAt)],
);

/** Single-use recovery codes for two-factor sign-in, stored as HMACs keyed by the server's secret. */
export const staffRecoveryCodes = pgTable(
  "staff_recovery_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("staff_recovery_codes_user_hash_unique").on(t.userId, t.codeHash), index("staff_recovery_codes_merchant_idx").on(t.merchantId)],
);

/** "Forgot password" links: the token's SHA-256 (the token itself only travels in the e-mail), one hour, one use. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    ip: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("password_resets_user_idx").on(t.userId), index("password_resets_merchant_idx").on(t.merchantId)],
);

export const staffPhoneCodePurpose = pgEnum("staff_phone_code_purpose", ["verify", "reset"]);

/**
 * SMS codes to a staff member's phone: `verify` proves a new phone (Settings → Security), `reset` sets a
 * new password ("Forgot password"). Only a keyed hash of the code is kept; 10 minutes, 5 tries, one use.
 */
export const staffPhoneCodes = pgTable(
  "staff_phone_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: staffPhoneCodePurpose().notNull(),
    phone: text().notNull(),
    codeHash: text().notNull(),
    triesLeft: integer().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("staff_phone_codes_user_idx").on(t.userId, t.purpose, t.createdAt), index("staff_phone_codes_merchant_idx").on(t.merchantId)],
);

/** The TOTP second factor of a staff member (one row per user; absent = never set up). */
export const staffTotp = pgTable(
  "staff_totp",
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    merchantId: merchantRef(),
    /** The base32 secret, sealed with lib/crypto/secrets under `user:<id>:totp`. */
    secretSealed: text().notNull(),
    /** Null while set-up waits for its first correct code. */
    enabledAt: timestamp({ withTimezone: true }),
    /** The last accepted time step: a code of that step or an earlier one is refused (no replay). */
    lastStep: bigint({ mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [index("staff_totp_merchant_idx").on(t.merchantId)],
);

export type StaffSession = typeof staffSessions.$inferSelect;
export type SignInAttempt = typeof signInAttempts.$inferSelect;
