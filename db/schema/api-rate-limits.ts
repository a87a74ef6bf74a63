import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Requests per API key per fixed window, shared by every web instance (lib/api/rate-limit.ts): the
 * instances claim them in small blocks. One row per key per minute; finished windows are purged by the idempotency purge job's schedule.
 */
export const apiRateLimits = pgTable(
  "api_rate_limits",
  {
    keyId: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    /** Requests granted in this window so far, by all instances together (never above the limit). */
    count: integer().notNull().default(0),
    /** What the last claim on this row granted (lib/api/rate-limit.ts reads it back with the count). */
    granted: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.windowStart] })],
);
