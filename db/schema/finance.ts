import { check, index, integer, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt } from "./columns";
import { merchantRef } from "./merchants";

export const financeEntryKind = pgEnum("finance_entry_kind", ["topup", "charge"]);

/**
 * A money operation the platform operator records by hand for a merchant (`npm run finance:entry`):
 * a top-up of its account or a charge to it. Amounts are positive minor units; the kind says which way.
 */
export const financeEntries = pgTable(
  "finance_entries",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    kind: financeEntryKind().notNull(),
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    note: text(),
    /** The payment document's number, when there is one. */
    document: text(),
    /** Who recorded it (the operator's name or address, as given to the script). */
    createdBy: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("finance_entries_merchant_created_idx").on(t.merchantId, t.createdAt), check("finance_entries_amount_positive", sql`${t.amountMinor} > 0`)],
);

export type FinanceEntry = typeof financeEntries.$inferSelect;
export type FinanceEntryKind = (typeof financeEntryKind.enumValues)[number];
