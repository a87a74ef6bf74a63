import { sql } from "drizzle-orm";
import { createdAt, updatedAt } from "./columns";
import { type AnyPgColumn, boolean, customType, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const merchants = pgTable("merchants", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  legalName: text(),
  taxId: text(),
  legalAddress: text(),
  contactEmail: text(),
  contactPhone: text(),
  logoFileId: uuid().references((): AnyPgColumn => files.id, { onDelete: "set null" }),
  timeZone: text().notNull().default("Europe/Moscow"),
  currency: text().notNull().default("RUB"),
  country: text().notNull().default("RU"),
  /** Customers may enrol themselves on the merchant's page (/m/{slug}) and get a card of this template. */
  enrolmentEnabled: boolean().notNull().default(false),
  enrolmentTemplateId: uuid(),
  /** The owner requires two-factor sign-in of every staff member (those without it set it up first). */
  requireTwoFactor: boolean().notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The owning merchant of a row; deleting the merchant deletes what it owns. */
export const merchantRef = () =>
  uuid()
    .notNull()
    .references(() => merchants.id, { onDelete: "cascade" });

/** Uploaded binary files (logos now, pass images later); kept in the database so web instances stay stateless. */
export const files = pgTable(
  "files",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    contentType: text().notNull(),
    byteSize: integer().notNull(),
    data: bytea().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("files_merchant_idx").on(t.merchantId)],
);

export const staffRole = pgEnum("staff_role", ["owner", "admin", "manager", "cashier"]);

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    role: staffRole().notNull(),
    active: boolean().notNull().default(true),
    /** Bumped on password change and deactivation: sessions signed with an older value stop working. */
    sessionVersion: integer().notNull().default(0),
    locale: text(),
    /**
     * "May complete a spending at the till without the customer's code" (with a reason), set by an
     * owner per staff member; null: the role's default (on for owners, off for everyone else).
     */
    maySkipConfirmation: boolean(),
    /** A phone the staff member proved by an SMS code (Settings → Security), for "forgot password" by SMS; E.164. */
    phone: text(),
    phoneVerifiedAt: timestamp({ withTimezone: true }),
    lastSignInAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Staff sign in with e-mail alone, so an address belongs to one account across all merchants.
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    index("users_merchant_idx").on(t.merchantId),
  ],
);

/** Failed sign-in counters per e-mail and per IP; in the database so every web instance sees them. */
export const authThrottle = pgTable("auth_throttle", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStart: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});

export type Merchant = typeof merchants.$inferSelect;
export type User = typeof users.$inferSelect;
export type StaffRole = (typeof staffRole.enumValues)[number];
