import { and, asc, count, desc, eq, isNotNull, isNull, type SQLWrapper } from "drizzle-orm";
import type { Db } from "@/db";
import { cardTemplates, cardTemplateVersions, users } from "@/db/schema";

/** The join from a template to its current version, for one merchant (or, across merchants, the card's own column). */
export const currentVersionOf = (merchantId: string | SQLWrapper) =>
  and(
    eq(cardTemplateVersions.templateId, cardTemplates.id),
    eq(cardTemplateVersions.version, cardTemplates.currentVersion),
    eq(cardTemplateVersions.merchantId, merchantId),
  );

export async function listTemplateRows(db: Db, merchantId: string, opts: { page: number; pageSize: number; archived: boolean }) {
  const where = and(eq(cardTemplates.merchantId, merchantId), opts.archived ? isNotNull(cardTemplates.archivedAt) : isNull(cardTemplates.archivedAt));
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ template: cardTemplates, definition: cardTemplateVersions.definition })
      .from(cardTemplates)
      .innerJoin(cardTemplateVersions, currentVersionOf(merchantId))
      .where(where)
      .orderBy(desc(cardTemplates.updatedAt), asc(cardTemplates.id))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ total: count() }).from(cardTemplates).where(where),
  ]);
  return { rows, total };
}

export async function findTemplateWithCurrent(db: Db, merchantId: string, id: string) {
  const [row] = await db
    .select({ template: cardTemplates, version: cardTemplateVersions })
    .from(cardTemplates)
    .innerJoin(cardTemplateVersions, currentVersionOf(merchantId))
    .where(and(eq(cardTemplates.id, id), eq(cardTemplates.merchantId, merchantId)));
  return row;
}

export async function findTemplateVersion(db: Db, merchantId: string, templateId: string, version: number) {
  const [row] = await db
    .select()
    .from(cardTemplateVersions)
    .where(and(eq(cardTemplateVersions.templateId, templateId), eq(cardTemplateVersions.merchantId, merchantId), eq(cardTemplateVersions.version, version)));
  return row;
}

export async function listTemplateVersionRows(db: Db, merchantId: string, templateId: string) {
  return db
    .select({
      version: cardTemplateVersions.version,
      createdAt: cardTemplateVersions.createdAt,
      restoredFrom: cardTemplateVersions.restoredFrom,
      authorName: users.name,
      authorEmail: users.email,
    })
    .from(cardTemplateVersions)
    .leftJoin(users, and(eq(users.id, cardTemplateVersions.createdBy), eq(users.merchantId, merchantId)))
    .where(and(eq(cardTemplateVersions.templateId, templateId), eq(cardTemplateVersions.merchantId, merchantId)))
    .orderBy(desc(cardTemplateVersions.version));
}
