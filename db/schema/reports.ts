import { bigint, bigserial, boolean, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { merchantRef } from "./merchants";

/** "No template / no point of sale" in a rollup key (a key column cannot be null). */
export const NO_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Events the report rollups have not folded yet: the reports follower appends one row per event in
 * the change's own transaction — an insert into an append-only table with no per-merchant row, so a
 * busy till never waits on another. The fold job deletes the rows it folds in the same transaction
 * as the rollup updates (lib/reports/fold.ts): a fold that dies rolls back whole, so nothing is lost
 * and nothing is counted twice.
 */
export const reportInbox = pgTable("report_inbox", {
  seq: bigserial({ mode: "number" }).primaryKey(),
  eventId: uuid().notNull(),
});

/**
 * Per merchant and day (in the merchant's time zone) and per template, point of sale, source and
 * platform: how many of a metric happened and their sum (points, money). Additive across days and
 * keys, so any period and filter is a sum over an index range. `bucket` is a histogram bucket
 * (conversion lag) and 0 elsewhere; `campaignId` the push event (campaign) a delivery outcome belongs
 * to, NO_ID elsewhere.
 */
export const reportDaily = pgTable(
  "report_daily",
  {
    merchantId: merchantRef(),
    metric: text().notNull(),
    day: date().notNull(),
    templateId: uuid().notNull().default(NO_ID),
    locationId: uuid().notNull().default(NO_ID),
    source: text().notNull().default(""),
    platform: text().notNull().default(""),
    bucket: smallint().notNull().default(0),
    campaignId: uuid().notNull().default(NO_ID),
    count: bigint({ mode: "number" }).notNull().default(0),
    sum: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.metric, t.day, t.templateId, t.locationId, t.source, t.platform, t.bucket, t.campaignId] })],
);

/** Current-state counters (cards per status, devices per kind), per template; kept by the same fold. */
export const reportCurrent = pgTable(
  "report_current",
  {
    merchantId: merchantRef(),
    kind: text().notNull(),
    templateId: uuid().notNull(),
    key: text().notNull(),
    count: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.kind, t.templateId, t.key] })],
);

/**
 * What the counters last counted for each card (its status and devices), and the facts the fold needs
 * about a card later (its template, source, when it was issued, which wallets it reached): the next
 * event of the card moves the counters by the difference. No foreign key: a deleted card's row is
 * what takes it out of the counters.
 */
export const reportCards = pgTable(
  "report_cards",
  {
    cardId: uuid().primaryKey(),
    merchantId: merchantRef(),
    templateId: uuid().notNull(),
    source: text().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    status: text(),
    iphones: integer().notNull().default(0),
    watches: integer().notNull().default(0),
    androids: integer().notNull().default(0),
    everApple: boolean().notNull().default(false),
    everGoogle: boolean().notNull().default(false),
    /** The cumulative-discount level counted (its index in the programme), null when the programme has none. */
    level: smallint(),
  },
  (t) => [index("report_cards_merchant_idx").on(t.merchantId)],
);

/**
 * Distinct active members (a purchase) do not add up across days: a HyperLogLog sketch per merchant
 * and day, one row per register (1024 registers, ~3% standard error; exact-ish for small counts via
 * linear counting), and the same per month (`span` 2, `day` the month's first), so a year's estimate
 * merges twelve months' registers and the edge days' rather than 365 days'. A period's estimate
 * merges its registers with max().
 */
export const reportMembersHll = pgTable(
  "report_members_hll",
  {
    merchantId: merchantRef(),
    span: smallint().notNull(),
    day: date().notNull(),
    idx: smallint().notNull(),
    rho: smallint().notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.span, t.day, t.idx] })],
);

/** When the fold last ran: the page says how fresh the figures are. One row. */
export const reportFoldState = pgTable("report_fold_state", {
  id: integer().primaryKey().default(1),
  foldedAt: timestamp({ withTimezone: true }),
  folded: bigint({ mode: "number" }).notNull().default(0),
});
