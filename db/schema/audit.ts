import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { merchants, users } from "./merchants";

export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: uuid()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    userId: uuid().references(() => users.id, { onDelete: "set null" }),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    before: jsonb(),
    after: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_merchant_created_idx").on(t.merchantId, t.createdAt)],
);

export type AuditEntry = typeof auditLog.$inferSelect;
