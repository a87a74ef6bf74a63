import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { merchantRef } from "./merchants";

/**
 * A merchant's webhook endpoint. The secret (`whsec_…`) is sealed under APP_ENCRYPTION_KEY bound to
 * the endpoint (lib/crypto/secrets); after a rotation the previous one stays valid, and is signed
 * with too, until `previousSecretExpiresAt`.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    url: text().notNull(),
    description: text().notNull().default(""),
    /** Event types it wants; `["*"]` for all. */
    events: jsonb().$type<string[]>().notNull(),
    enabled: boolean().notNull().default(true),
    secretSealed: text().notNull(),
    previousSecretSealed: text(),
    previousSecretExpiresAt: timestamp({ withTimezone: true }),
    /** Failed attempts in a row (any delivery); a success sets it back to 0. */
    consecutiveFailures: integer().notNull().default(0),
    /** The first failure since the last success: failures spanning 5 days disable the endpoint. */
    failingSince: timestamp({ withTimezone: true }),
    /** Why it was turned off by us (`gone` on 410, `failing` after 5 days), null when staff did or it is on. */
    disabledReason: text(),
    disabledAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_endpoints_merchant_idx").on(t.merchantId, t.createdAt)],
);

export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", ["pending", "succeeded", "failed"]);

/**
 * One event to one endpoint, written by the webhooks follower in the event's own transaction (or by
 * a test send or a replay). `body` is the exact JSON sent, so every attempt signs the same bytes;
 * `eventId` makes the `webhook-id` (the same across retries and the same the events feed shows).
 * A pending row is due at `nextAttemptAt`; a worker claiming it pushes that forward by a lease, so a
 * killed worker's rows fall due again by themselves.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: uuid().notNull(),
    eventType: text().notNull(),
    body: text().notNull(),
    status: webhookDeliveryStatus().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).defaultNow(),
    lastAttemptAt: timestamp({ withTimezone: true }),
    lastStatusCode: integer(),
    lastDurationMs: integer(),
    lastError: text(),
    /** The answer's first bytes (at most 64 KB are read; the log keeps a shorter prefix). */
    lastResponseBody: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    index("webhook_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt, t.id),
    index("webhook_deliveries_merchant_idx").on(t.merchantId, t.createdAt),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
