import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { merchantRef, users } from "./merchants";

export const pushEventType = pgEnum("push_event_type", ["push", "promotion", "sms"]);
export const pushEventState = pgEnum("push_event_state", ["scheduled", "running", "finished"]);

/** Who a push event reaches (lib/push-events/audience): every filter narrows the chosen templates' cards. */
export type PushAudience = {
  templateIds: string[];
  /** `installed`: in any wallet. */
  status?: ("installed" | "apple" | "google" | "not_installed")[];
  level?: string;
  balanceMin?: number;
  balanceMax?: number;
  /** At least this many days since the card's last purchase (or since it was issued, with none). */
  daysSinceLastPurchase?: number;
  birthdayMonth?: number;
  locationId?: string;
};

/** A dynamic promotion's overlay, layered over the template's current version while the promotion runs. */
export type PromotionDesign = {
  backgroundColor?: string;
  foregroundColor?: string;
  labelColor?: string;
  stripFileId?: string;
  /** Field key → label / value shown instead of the template's. */
  fields?: Record<string, { label?: string; value?: string }>;
  backText?: string;
};

/**
 * A push event (Cabinet → Push events; API /api/v1/campaigns): a one-off wallet message, a dynamic
 * promotion or SMS news to an audience. `scheduled` → `running` → `finished`; deleting hides it from
 * the list (deleted_at) but its figures stay. The run keeps its checkpoint (`afterCardId`) and phase
 * here, committed with each batch, so a killed worker resumes where it stopped.
 */
export const pushEvents = pgTable(
  "push_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    type: pushEventType().notNull(),
    state: pushEventState().notNull().default("scheduled"),
    name: text().notNull().default(""),
    message: text().notNull().default(""),
    design: jsonb().$type<PromotionDesign>().notNull().default({}),
    audience: jsonb().$type<PushAudience>().notNull(),
    /** When it starts (null: at once); shown and typed in the merchant's time zone. */
    startAt: timestamp({ withTimezone: true }),
    /** When a promotion ends and the cards go back to the template. */
    endAt: timestamp({ withTimezone: true }),
    /** `start` sends or lays the promotion over the cards; `settle` waits for the wallets; `live` is a promotion on show; `revert` takes it off. */
    phase: text().$type<"start" | "settle" | "live" | "revert">().notNull().default("start"),
    afterCardId: uuid(),
    total: integer().notNull().default(0),
    processed: integer().notNull().default(0),
    applePushed: integer().notNull().default(0),
    appleAccepted: integer().notNull().default(0),
    appleFailed: integer().notNull().default(0),
    appleGone: integer().notNull().default(0),
    googleNotified: integer().notNull().default(0),
    googleQuiet: integer().notNull().default(0),
    googleFailed: integer().notNull().default(0),
    /** Google messages a crash caught mid-send: the retry found them already there (409), so whether the phone was alerted is unknown. */
    googleInDoubt: integer().notNull().default(0),
    smsDelivered: integer().notNull().default(0),
    smsFailed: integer().notNull().default(0),
    /** Kopecks (minor units) the provider charged. */
    smsCost: integer().notNull().default(0),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    deletedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("push_events_merchant_created_idx").on(t.merchantId, t.createdAt),
    // The tick looks for events due to start, promotions due to end, and runs whose worker went quiet.
    index("push_events_active_idx")
      .on(t.state, t.startAt)
      .where(sql`${t.state} <> 'finished'`),
  ],
);

/**
 * The phones that stopped a merchant's SMS news themselves (the stop link), as a keyed hash per
 * merchant, never the phone (lib/push-events/consent): a suppression list. The merchant's consent
 * (the API, the CSV import) skips them whichever customer row holds the phone now, so a changed phone
 * number, an erasure or a re-import does not put them back on the list; only their own consent (their
 * card's page, a form) takes them off it.
 */
export const marketingStops = pgTable(
  "marketing_stops",
  {
    merchantId: merchantRef(),
    phoneHash: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.phoneHash] })],
);

/**
 * Who an SMS news event has written to: one row per customer (so a customer with two cards gets one
 * text), written with the outbox message in the batch's transaction. Its outbox message carries the
 * delivery status and the real cost, which the event's figures sum.
 */
export const pushEventRecipients = pgTable(
  "push_event_recipients",
  {
    eventId: uuid()
      .notNull()
      .references(() => pushEvents.id, { onDelete: "cascade" }),
    merchantId: merchantRef(),
    customerId: uuid().notNull(),
    outboxId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.customerId] })],
);

/**
 * A push's batch that its run is telling itself (lib/push-events/run): the cards of the batch that a
 * wallet holds, written with the batch's cards and checkpoint, and deleted in the transaction that
 * records what their wallets did, so each is counted once. Leased to the run until `leaseUntil`; a
 * run killed before settling it leaves it to the wallet drain when the lease runs out (no card skipped).
 * One row per batch instead of a wallet queue row per card: the queue rows' inserts and deletes were
 * most of a push's database work (bench/push).
 */
export const pushEventBatches = pgTable(
  "push_event_batches",
  {
    id: uuid().primaryKey().defaultRandom(),
    eventId: uuid()
      .notNull()
      .references(() => pushEvents.id, { onDelete: "cascade" }),
    merchantId: merchantRef(),
    cardIds: uuid().array().notNull(),
    leaseUntil: timestamp({ withTimezone: true }).notNull(),
    /** Times the batch was taken up again after a lease ran out. */
    attempts: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("push_event_batches_event_idx").on(t.eventId), index("push_event_batches_lease_idx").on(t.leaseUntil)],
);

export const triggerKind = pgEnum("push_trigger_kind", ["birthday", "inactive", "points_expiring", "welcome", "level_reached"]);

/**
 * A triggered message (lib/push-events/triggers): when something happens to one card (its holder's
 * birthday, N days without a purchase, points expiring within N days, added to a wallet, a level
 * reached), a push or an SMS goes to that card. `days` is N; `hour` the merchant-time hour a birthday
 * message goes at; `limitPerCard` how many times in 30 days one card may get it; `quietFrom`/`quietTo`
 * the rule's own quiet hours (empty: the merchant's).
 */
export const pushTriggerRules = pgTable(
  "push_trigger_rules",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    kind: triggerKind().notNull(),
    channel: text().$type<"push" | "sms">().notNull().default("push"),
    message: text().notNull(),
    days: integer().notNull().default(0),
    hour: smallint().notNull().default(10),
    limitPerCard: integer().notNull().default(1),
    // The rule's own quiet hours [from, to) in the merchant's zone; both null: the merchant's apply.
    quietFrom: smallint(),
    quietTo: smallint(),
    enabled: boolean().notNull().default(true),
    sent: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("push_trigger_rules_merchant_idx").on(t.merchantId, t.kind)],
);

/**
 * One rule's message to one card: written when the rule fires (by the events door's follower or the
 * daily scan) and sent by the trigger job when due and outside quiet hours. `occasion` makes a rule
 * fire once per occasion (the birthday's year, the level's name, the last purchase's date).
 */
export const pushTriggerSends = pgTable(
  "push_trigger_sends",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    ruleId: uuid()
      .notNull()
      .references(() => pushTriggerRules.id, { onDelete: "cascade" }),
    cardId: uuid().notNull(),
    occasion: text().notNull(),
    status: text().$type<"pending" | "sent" | "skipped">().notNull().default("pending"),
    dueAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    reason: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("push_trigger_sends_occasion_idx").on(t.ruleId, t.cardId, t.occasion),
    index("push_trigger_sends_due_idx")
      .on(t.dueAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/** Quiet hours per merchant, in its time zone: pushes due then wait until `quietTo`. */
export const pushSettings = pgTable("push_settings", {
  merchantId: merchantRef().primaryKey(),
  quietFrom: smallint(),
  quietTo: smallint(),
  updatedAt: updatedAt(),
});

export type PushEvent = typeof pushEvents.$inferSelect;
export type PushEventType = (typeof pushEventType.enumValues)[number];
export type PushEventState = (typeof pushEventState.enumValues)[number];
export type PushTriggerRule = typeof pushTriggerRules.$inferSelect;
export type TriggerKind = (typeof triggerKind.enumValues)[number];
