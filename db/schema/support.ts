import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { merchantRef, users } from "./merchants";
import { outboxMessages } from "./outbox";

/** A merchant's message to the platform's support (Settings → Support), sent by e-mail through the outbox. */
export const supportRequests = pgTable(
  "support_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    userId: uuid().references(() => users.id, { onDelete: "set null" }),
    subject: text().notNull(),
    body: text().notNull(),
    /** The cabinet page the person came from, when known. */
    page: text(),
    outboxId: uuid().references(() => outboxMessages.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("support_requests_merchant_created_idx").on(t.merchantId, t.createdAt)],
);

export type SupportRequest = typeof supportRequests.$inferSelect;
