import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { merchantRef, merchants, users } from "./merchants";

export const smsProvider = pgEnum("sms_provider", ["console", "smsru", "smsc"]);
export const emailProvider = pgEnum("email_provider", ["console", "resend"]);

/**
 * How a merchant reaches its customers: the SMS and e-mail providers with their credentials (sealed
 * with lib/crypto/secrets, never stored in clear) and the message templates.
 */
export const messagingSettings = pgTable("messaging_settings", {
  merchantId: uuid()
    .primaryKey()
    .references(() => merchants.id, { onDelete: "cascade" }),
  smsProvider: smsProvider().notNull().default("console"),
  smsSender: text(),
  /** sms.ru: { apiId }; smsc.ru: { login, password } or { apiKey }. */
  smsSealed: text(),
  /** Texts with {code}, {link} and {merchant}; empty means the built-in default. */
  smsCodeTemplate: text().notNull().default(""),
  smsLinkTemplate: text().notNull().default(""),
  /** At most this many sign-in and enrolment codes an hour go out on the merchant's page (strangers' phones cost the merchant money). */
  codeSmsPerHour: integer().notNull().default(100),
  emailProvider: emailProvider().notNull().default("console"),
  emailFrom: text(),
  /** Resend: { apiKey }. */
  emailSealed: text(),
  updatedAt: updatedAt(),
});

export const codePurpose = pgEnum("code_purpose", ["sign_in", "enrol"]);

/**
 * One-time codes sent by SMS. Only an HMAC of the code is kept. `merchantId` is who delivers the code:
 * the merchant whose page asked (its provider and template send it, so it proves the phone to that
 * merchant alone), or null for the platform-wide sign-in at /my (the platform's provider and template).
 * Codes, their limits and "the newest code wins" are kept apart per (phone, deliverer).
 */
export const oneTimeCodes = pgTable(
  "one_time_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    phone: text().notNull(),
    purpose: codePurpose().notNull(),
    merchantId: uuid().references(() => merchants.id, { onDelete: "cascade" }),
    codeHmac: text().notNull(),
    attempts: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    consumedAt: timestamp({ withTimezone: true }),
    ip: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("one_time_codes_phone_created_idx").on(t.phone, t.merchantId, t.createdAt),
    index("one_time_codes_ip_created_idx").on(t.ip, t.createdAt),
    index("one_time_codes_merchant_created_idx").on(t.merchantId, t.createdAt),
  ],
);

/** A customer signed in by phone. Separate from staff sessions; only a hash of the cookie's token is kept. */
export const customerSessions = pgTable(
  "customer_sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    tokenHash: text().notNull().unique(),
    phone: text().notNull(),
    /**
     * What the session may see. A merchant's id when the code came through that merchant's page (its
     * provider and template): that merchant's cards and nothing else. Null only when the platform
     * delivered the code (/my): every card of the phone. Deleting the merchant ends its sessions.
     */
    merchantId: uuid().references(() => merchants.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("customer_sessions_expires_idx").on(t.expiresAt)],
);

export const cardSendStatus = pgEnum("card_send_status", ["queued", "running", "done", "failed", "cancelled"]);

/** Sending many cards at once (by SMS or e-mail), done by the worker with its progress counted here. */
export const cardSends = pgTable(
  "card_sends",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    channel: text().$type<"sms" | "email">().notNull(),
    status: cardSendStatus().notNull().default("queued"),
    /** Either the chosen cards or the list's filters at the time (search, template, status). */
    cardIds: jsonb().$type<string[] | null>(),
    filters: jsonb().$type<Record<string, string> | null>(),
    total: integer().notNull().default(0),
    processed: integer().notNull().default(0),
    queued: integer().notNull().default(0),
    skipped: integer().notNull().default(0),
    failure: text(),
    /** Cards handled so far, in id order, so a retried run resumes where it stopped. */
    afterCardId: uuid(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("card_sends_merchant_created_idx").on(t.merchantId, t.createdAt)],
);

export type MessagingSettings = typeof messagingSettings.$inferSelect;
export type OneTimeCode = typeof oneTimeCodes.$inferSelect;
export type CustomerSession = typeof customerSessions.$inferSelect;
export type CardSend = typeof cardSends.$inferSelect;
