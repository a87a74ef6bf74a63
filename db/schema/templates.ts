import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { TemplateDefinition } from "@/lib/templates/definition";
import { createdAt, updatedAt } from "./columns";
import { merchantRef, users } from "./merchants";

export const templateKind = pgEnum("template_kind", ["loyalty", "stamp", "gift", "coupon", "membership", "generic"]);

/** What a merchant designs once; its look lives in numbered versions, the newest being current. */
export const cardTemplates = pgTable(
  "card_templates",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    name: text().notNull(),
    kind: templateKind().notNull(),
    currentVersion: integer().notNull().default(1),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("card_templates_merchant_updated_idx").on(t.merchantId, t.updatedAt)],
);

export const cardTemplateVersions = pgTable(
  "card_template_versions",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: merchantRef(),
    templateId: uuid()
      .notNull()
      .references(() => cardTemplates.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    definition: jsonb().$type<TemplateDefinition>().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    restoredFrom: integer(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("card_template_versions_template_version_idx").on(t.templateId, t.version)],
);

export type CardTemplate = typeof cardTemplates.$inferSelect;
export type CardTemplateVersion = typeof cardTemplateVersions.$inferSelect;
export type TemplateKind = (typeof templateKind.enumValues)[number];
