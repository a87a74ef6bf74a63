import { index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { merchantRef } from "./merchants";

/**
 * First answers to REST API requests sent with an `Idempotency-Key`, so a client retrying after a
 * timeout gets the card it already issued instead of a second one. Kept 24 hours; rows older than
 * that are ignored and may be purged (lib/api/idempotency.ts).
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency",
  {
    merchantId: merchantRef(),
    key: text().notNull(),
    /** SHA-256 of method, path and body: the same key sent with another request is refused, not answered with the first. */
    requestHash: text().notNull(),
    status: integer().notNull(),
    body: jsonb().$type<unknown>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.key] }), index("api_idempotency_created_idx").on(t.createdAt)],
);

export type ApiIdempotencyKey = typeof apiIdempotencyKeys.$inferSelect;
