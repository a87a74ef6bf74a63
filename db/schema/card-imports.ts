import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { certificateDefinitions } from "./gift-certificates";
import { createdAt, updatedAt } from "./columns";
import { merchantRef, users } from "./merchants";
import { cardTemplates } from "./templates";

export const cardImportStatus = pgEnum("card_import_status", ["preview", "queued", "running", "done", "failed", "cancelled"]);

export type ImportRowError = { line: number; column: string | null; message: string; params?: Record<string, string | number> };

/**
 * A CSV of cards to issue. Parsed and checked first (`preview`: nothing written but this row), then
 * issued by the worker in batches, counting progress as it goes.
 */
export const cardImports = pgTable(
  "card_imports",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    templateId: uuid()
      .notNull()
      .references(() => cardTemplates.id, { onDelete: "cascade" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    fileName: text().notNull(),
    status: cardImportStatus().notNull().default("preview"),
    /** Leave out phones that already hold a card of this template, so running the same file twice issues nothing twice. */
    skipExisting: boolean().notNull().default(true),
    total: integer().notNull().default(0),
    valid: integer().notNull().default(0),
    processed: integer().notNull().default(0),
    issued: integer().notNull().default(0),
    skipped: integer().notNull().default(0),
    /** Valid rows whose consent column says yes: their customers get marketing consent (lib/push-events/consent). */
    consenting: integer().notNull().default(0),
    /** Refused rows: all are counted, the first MAX_STORED_ERRORS are kept to show. */
    errorCount: integer().notNull().default(0),
    errors: jsonb().$type<ImportRowError[]>().notNull().default([]),
    warnings: jsonb().$type<string[]>().notNull().default([]),
    failure: text(),
    /**
     * A gift certificates' phone list (lib/gift-certificates/phone-import): each row becomes a certificate
     * of this definition with the next free code, and an SMS. Null for a card import.
     */
    certificateDefinitionId: uuid().references(() => certificateDefinitions.id, { onDelete: "cascade" }),
    /** SHA-256 of the uploaded file: the same phone list is imported once per definition. */
    contentHash: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("card_imports_merchant_created_idx").on(t.merchantId, t.createdAt),
    uniqueIndex("card_imports_certificate_file_idx")
      .on(t.certificateDefinitionId, t.contentHash)
      .where(sql`${t.certificateDefinitionId} is not null and ${t.status} in ('queued', 'running', 'done')`),
  ],
);

export type CardImport = typeof cardImports.$inferSelect;

/** The checked rows of an import waiting to be issued, by line; removed once the import has finished. */
export const cardImportRows = pgTable(
  "card_import_rows",
  {
    importId: uuid()
      .notNull()
      .references(() => cardImports.id, { onDelete: "cascade" }),
    line: integer().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
);
