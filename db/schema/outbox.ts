import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { cards } from "./cards";
import { createdAt, updatedAt } from "./columns";
import { merchants } from "./merchants";

export const outboxChannel = pgEnum("outbox_channel", ["sms", "email"]);
// `sending`: claimed by one worker; only that worker may mark it sent, so a message is never sent twice.
// `in_doubt`: its worker died between the claim and recording the provider's answer, so nobody knows
// whether it went out; it is never sent again, and the merchant sees it as such.
export const outboxStatus = pgEnum("outbox_status", ["queued", "sending", "sent", "delivered", "failed", "in_doubt"]);

export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Null for the platform's own messages (codes for the sign-in at /my), sent with the platform's provider. */
    merchantId: uuid().references(() => merchants.id, { onDelete: "cascade" }),
    channel: outboxChannel().notNull(),
    /** What it is: `code` (a one-time code: never shown to staff), `card` (a card sent to its holder), `test`, `staff`. */
    kind: text().notNull().default("staff"),
    cardId: uuid().references(() => cards.id, { onDelete: "set null" }),
    recipient: text().notNull(),
    subject: text(),
    /** What staff may see. A one-time code's message holds a mask here, never the code. */
    body: text().notNull(),
    html: text(),
    /**
     * A one-time code's real text and the code, sealed (lib/crypto/secrets) until the provider has it;
     * cleared once a real provider has answered.
     */
    secret: text(),
    status: outboxStatus().notNull().default("queued"),
    provider: text(),
    providerMessageId: text(),
    error: text(),
    attempts: integer().notNull().default(0),
    costMinor: integer(),
    currency: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    /** Delivery status checks so far; the checker stops after a few. */
    statusChecks: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("outbox_merchant_created_idx").on(t.merchantId, t.createdAt),
    index("outbox_status_created_idx").on(t.status, t.createdAt),
    index("outbox_card_idx").on(t.cardId),
  ],
);

export type OutboxMessage = typeof outboxMessages.$inferSelect;
