import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { cards } from "./cards";
import { createdAt, updatedAt } from "./columns";
import { merchantRef } from "./merchants";
import { cardTemplates } from "./templates";

/** A text in both of the cabinet's languages (simple formatting, sanitised when shown: lib/gift-certificates/rich-text). */
export type LocalizedText = { en: string; ru: string };

/** `gift`: a gift certificate (money or a product); `coupon`: a promo-code coupon, one use, redeemed whole. */
export const certificateDefinitionKind = pgEnum("certificate_definition_kind", ["gift", "coupon"]);

/**
 * What a merchant sells as a gift certificate (or hands out as a coupon, `kind`: the same pools, one unit each): each certificate is a card of `templateId` (a template of
 * the `gift` kind: its design, passes and pages), plus these fields. Either a nominal (money, minor
 * units) or a product (one unit, redeemed whole).
 */
export const certificateDefinitions = pgTable(
  "certificate_definitions",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    templateId: uuid()
      .notNull()
      .references(() => cardTemplates.id, { onDelete: "restrict" }),
    kind: certificateDefinitionKind().notNull().default("gift"),
    name: text().notNull(),
    /** Money in minor units; null for a product certificate and a coupon. */
    nominal: integer(),
    /** What a product certificate buys ("one large pizza") or a coupon gives ("−20% on any pizza"), per language; null for money. */
    product: jsonb().$type<LocalizedText>(),
    /** The merchant's points of sale where it is accepted (a subset; empty = all). */
    locationIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    presentation: jsonb().$type<LocalizedText>().notNull(),
    terms: jsonb().$type<LocalizedText>().notNull(),
    /** Validity: a fixed last day, or N days after issue (exactly one is set). */
    validUntil: date(),
    validDays: integer(),
    partialRedemption: boolean().notNull().default(true),
    /** A notification goes out when free codes fall below this (0: never). */
    lowPoolThreshold: integer().notNull().default(0),
    /** The SMS each recipient of a phone list gets: `{merchant}`, `{link}`, `{amount}`; null: the default text. */
    smsTemplate: text(),
    /** When the low-pool notification last went out (not again until the pool is refilled above the threshold). */
    lowPoolNotifiedAt: timestamp({ withTimezone: true }),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("certificate_definitions_merchant_idx").on(t.merchantId, t.createdAt)],
);

export const certificateCodeStatus = pgEnum("certificate_code_status", ["free", "issued", "redeemed"]);

/**
 * A definition's pool of promo codes (uploaded or generated): unique per merchant across all its
 * definitions. An issued code is the number of its certificate (card); `redeemed` once its balance is 0.
 */
export const certificateCodes = pgTable(
  "certificate_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    definitionId: uuid()
      .notNull()
      .references(() => certificateDefinitions.id, { onDelete: "cascade" }),
    code: text().notNull(),
    status: certificateCodeStatus().notNull().default("free"),
    cardId: uuid().references(() => cards.id, { onDelete: "set null" }),
    /** The giver's message, shown on the certificate. */
    message: text(),
    issuedAt: timestamp({ withTimezone: true }),
    /** First time the recipient's browser showed it (certificate.opened). */
    openedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("certificate_codes_merchant_code_idx").on(t.merchantId, t.code),
    uniqueIndex("certificate_codes_card_idx")
      .on(t.cardId)
      .where(sql`${t.cardId} is not null`),
    // The next free code of a definition, taken in creation order.
    index("certificate_codes_definition_status_idx").on(t.definitionId, t.status, t.createdAt),
  ],
);

export type CertificateDefinition = typeof certificateDefinitions.$inferSelect;
export type CertificateDefinitionKind = (typeof certificateDefinitionKind.enumValues)[number];
export type CertificateCode = typeof certificateCodes.$inferSelect;
export type CertificateCodeStatus = (typeof certificateCodeStatus.enumValues)[number];
