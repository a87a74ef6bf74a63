import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Requests per API key per fixed window, shared by every web instance (lib/api/rate-limit.ts). One
 * row per key per minute; finished windows are purged by the idempotency purge job's schedule.
 */
export const apiRateLimits = pgTable(
  "api_rate_limits",
  {
    keyId: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.windowStart] })],
);
