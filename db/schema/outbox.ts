import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { merchantRef } from "./merchants";

export const outboxChannel = pgEnum("outbox_channel", ["sms", "email"]);
// `sending`: claimed by one worker; only that worker may mark it sent, so a message is never sent twice.
export const outboxStatus = pgEnum("outbox_status", ["queued", "sending", "sent", "delivered", "failed"]);

export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    channel: outboxChannel().notNull(),
    recipient: text().notNull(),
    subject: text(),
    body: text().notNull(),
    status: outboxStatus().notNull().default("queued"),
    provider: text(),
    providerMessageId: text(),
    error: text(),
    attempts: integer().notNull().default(0),
    costMinor: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("outbox_merchant_created_idx").on(t.merchantId, t.createdAt),
    index("outbox_status_created_idx").on(t.status, t.createdAt),
  ],
);

export type OutboxMessage = typeof outboxMessages.$inferSelect;
