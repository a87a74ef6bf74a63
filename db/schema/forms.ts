import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { FormDefinition } from "../../lib/forms/definition";
import { cards, customers } from "./cards";
import { createdAt, updatedAt } from "./columns";
import { files, merchantRef } from "./merchants";
import { cardTemplates } from "./templates";

/**
 * A registration form (questionnaire): the fields a merchant asks, its consent boxes, the template whose
 * card it issues and the look of its public page. `version` advances with every save; each consent box
 * keeps its own text version inside the definition (lib/forms/definition), so what a customer agreed
 * to can always be named.
 */
export const registrationForms = pgTable(
  "registration_forms",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    name: text().notNull(),
    /** The public link's token (`/f/<token>`): unguessable, so drafts and retired forms are not walked. */
    token: text().notNull().unique(),
    templateId: uuid()
      .notNull()
      .references(() => cardTemplates.id, { onDelete: "restrict" }),
    definition: jsonb().$type<FormDefinition>().notNull(),
    coverFileId: uuid().references(() => files.id, { onDelete: "set null" }),
    active: boolean().notNull().default(true),
    version: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("registration_forms_merchant_idx").on(t.merchantId, t.createdAt)],
);

export const registrationSourceKind = pgEnum("registration_source_kind", ["group", "company"]);

/**
 * A registration group (a flyer, a partner, an event) or a company (a corporate client): its own link
 * to a form, a validity period, a cap on registrations (a company's employees), a welcome bonus, a
 * company's starting discount or level, and a tag its cards carry. Cards it issues point at it (cards.source_id).
 */
export const registrationSources = pgTable(
  "registration_sources",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    kind: registrationSourceKind().notNull(),
    formId: uuid()
      .notNull()
      .references(() => registrationForms.id, { onDelete: "cascade" }),
    name: text().notNull(),
    token: text().notNull().unique(),
    tag: text().notNull().default(""),
    startsAt: timestamp({ withTimezone: true }),
    endsAt: timestamp({ withTimezone: true }),
    /** Most cards it may issue; null = no cap. */
    maxRegistrations: integer(),
    welcomeBonus: integer().notNull().default(0),
    /** A company's starting discount in percent; null = the programme's own. */
    discount: integer(),
    /**
     * A company's starting level: the threshold (minor units) of one of its form's template's levels,
     * copied to each card it enrols as the card's level floor (cards.level_floor says why a threshold
     * and not an index). Null: cards start at the first level. Exclusive with `discount`.
     */
    levelFloor: bigint({ mode: "number" }),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("registration_sources_merchant_idx").on(t.merchantId, t.kind, t.createdAt)],
);

/** A customer's answers to a form, as they sent them (each enrolment, returning customers too). */
export const formSubmissions = pgTable(
  "form_submissions",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    formId: uuid()
      .notNull()
      .references(() => registrationForms.id, { onDelete: "cascade" }),
    formVersion: integer().notNull(),
    sourceId: uuid().references(() => registrationSources.id, { onDelete: "set null" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    cardId: uuid().references(() => cards.id, { onDelete: "set null" }),
    answers: jsonb().$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("form_submissions_customer_idx").on(t.merchantId, t.customerId), index("form_submissions_form_idx").on(t.formId, t.createdAt)],
);

/**
 * What a customer agreed to, box by box: the exact text, its version and when (152-FZ and GDPR ask
 * for all three). Append-only; a withdrawal is a row of its own (`agreed` false).
 */
export const consentRecords = pgTable(
  "consent_records",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    customerId: uuid().references(() => customers.id, { onDelete: "cascade" }),
    formId: uuid().references(() => registrationForms.id, { onDelete: "set null" }),
    consentKey: text().notNull(),
    textVersion: integer().notNull(),
    text: text().notNull(),
    locale: text().notNull(),
    marketing: boolean().notNull().default(false),
    agreed: boolean().notNull().default(true),
    at: createdAt(),
  },
  (t) => [index("consent_records_customer_idx").on(t.merchantId, t.customerId, t.at)],
);

export const dataRequestKind = pgEnum("data_request_kind", ["export", "erase"]);

/** Every export or erasure of a customer's data, by staff or by the customer at /my (who, what, when). */
export const customerDataRequests = pgTable(
  "customer_data_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    /** Kept after an erasure: the id names no one once the personal fields are gone. */
    customerId: uuid().notNull(),
    kind: dataRequestKind().notNull(),
    /** `staff` (userId) or `customer` (their own request at /my). */
    requestedBy: text().notNull(),
    userId: uuid(),
    format: text(),
    createdAt: createdAt(),
  },
  (t) => [index("customer_data_requests_merchant_idx").on(t.merchantId, t.createdAt)],
);

/** One referral per new customer: who invited them, and whether the rewards were paid. */
export const referrals = pgTable(
  "referrals",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    formId: uuid().references(() => registrationForms.id, { onDelete: "set null" }),
    inviterCustomerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    friendCustomerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    friendCardId: uuid().references(() => cards.id, { onDelete: "set null" }),
    /** The card whose page the invitation came from: the inviter's reward goes there. */
    inviterCardId: uuid().references(() => cards.id, { onDelete: "set null" }),
    /** The form's terms when the friend enrolled: when the rewards fall due, and how many points each. */
    rewardOn: text().notNull(),
    inviterBonus: integer().notNull().default(0),
    friendBonus: integer().notNull().default(0),
    /** Set by the referral follower when the friend's card is installed or first used; the job pays then. */
    dueAt: timestamp({ withTimezone: true }),
    rewardedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("referrals_friend_idx").on(t.merchantId, t.friendCustomerId),
    index("referrals_friend_card_idx").on(t.friendCardId),
    index("referrals_due_idx")
      .on(t.dueAt)
      .where(sql`${t.dueAt} is not null and ${t.rewardedAt} is null`),
  ],
);

export type RegistrationForm = typeof registrationForms.$inferSelect;
export type RegistrationSource = typeof registrationSources.$inferSelect;
export type FormSubmission = typeof formSubmissions.$inferSelect;
export type ConsentRecord = typeof consentRecords.$inferSelect;
