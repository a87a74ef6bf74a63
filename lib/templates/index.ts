import "server-only";
import { isUuid } from "@/lib/validations/common";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cardTemplates, cardTemplateVersions, files, locations, merchants, type CardTemplate, type TemplateKind } from "@/db/schema";
import { findTemplateVersion, findTemplateWithCurrent, listTemplateRows, listTemplateVersionRows } from "@/db/queries/templates";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { record, wake } from "@/lib/card-events";
import { staffActor } from "@/lib/card-events/actor";
import { AppError, NotFoundError } from "@/lib/errors";
import { getMerchantOrThrow } from "@/lib/merchants";
import { defaultDefinition, type TemplateDefinition } from "./definition";

export const TEMPLATES_PAGE_SIZE = 24;

export const listTemplates = listTemplateRows;
export const listTemplateVersions = listTemplateVersionRows;

export async function getTemplateOrThrow(db: Db, merchantId: string, id: string) {
  const row = isUuid(id) ? await findTemplateWithCurrent(db, merchantId, id) : undefined;
  if (!row) throw new NotFoundError();
  return row;
}

/** Images and points of sale a definition points at must be the merchant's own. */
async function assertOwnReferences(db: Db, merchantId: string, definition: TemplateDefinition) {
  const locationIds = definition.locations.map((l) => l.locationId);
  if (locationIds.length) {
    const own = await db
      .select({ id: locations.id })
      .from(locations)
      .where(and(eq(locations.merchantId, merchantId), inArray(locations.id, locationIds)));
    if (own.length !== new Set(locationIds).size)
      throw new AppError("validation", "templates.errors.unknownLocation", { "definition.locations": "templates.errors.unknownLocation" });
  }
  const { logoFileId, iconFileId, stripFileId } = definition.design;
  const fileIds = [logoFileId, iconFileId, stripFileId].filter((id): id is string => !!id);
  if (fileIds.length) {
    const own = await db
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.merchantId, merchantId), inArray(files.id, fileIds)));
    if (own.length !== new Set(fileIds).size)
      throw new AppError("validation", "templates.errors.unknownImage", { "definition.design": "templates.errors.unknownImage" });
  }
}

async function insertTemplate(
  db: Db,
  actor: AuditActor,
  name: string,
  kind: TemplateKind,
  definition: TemplateDefinition,
  action: string,
): Promise<CardTemplate> {
  const [template] = await db.insert(cardTemplates).values({ merchantId: actor.merchantId, name, kind }).returning();
  await db.insert(cardTemplateVersions).values({ merchantId: actor.merchantId, templateId: template.id, version: 1, definition, createdBy: actor.userId });
  await recordAudit(db, actor, { action, entityType: "template", entityId: template.id, after: { name, kind } });
  return template;
}

export async function createTemplate(db: Db, actor: AuditActor, input: { name: string; kind: TemplateKind }): Promise<CardTemplate> {
  return db.transaction(async (tx) => {
    const merchant = await getMerchantOrThrow(tx, actor.merchantId);
    return insertTemplate(tx, actor, input.name, input.kind, defaultDefinition(input.kind, merchant.name), "template.create");
  });
}

export async function duplicateTemplate(db: Db, actor: AuditActor, id: string, name: string): Promise<CardTemplate> {
  return db.transaction(async (tx) => {
    const source = await getTemplateOrThrow(tx, actor.merchantId, id);
    return insertTemplate(tx, actor, name, source.template.kind, source.version.definition, "template.duplicate");
  });
}

/**
 * Archives or restores a template. The template customers enrol into on the merchant's page cannot be
 * archived while enrolment is on: "enrolment is open" (lib/merchants/enrolment) would still say yes,
 * codes would go out, and every enrolment would then fail on the archived template.
 */
export async function setTemplateArchived(db: Db, actor: AuditActor, id: string, archived: boolean): Promise<CardTemplate> {
  return db.transaction(async (tx) => {
    const { template } = await getTemplateOrThrow(tx, actor.merchantId, id);
    if (archived) {
      // Locks the merchant row: enrolment cannot be switched to this template while it is being archived.
      const [merchant] = await tx
        .select({ enabled: merchants.enrolmentEnabled, templateId: merchants.enrolmentTemplateId })
        .from(merchants)
        .where(eq(merchants.id, actor.merchantId))
        .for("update");
      if (merchant?.enabled && merchant.templateId === id) throw new AppError("conflict", "templates.errors.enrolmentTemplate");
    }
    const [after] = await tx
      .update(cardTemplates)
      .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
      .where(and(eq(cardTemplates.id, id), eq(cardTemplates.merchantId, actor.merchantId)))
      .returning();
    await recordAudit(tx, actor, {
      action: archived ? "template.archive" : "template.unarchive",
      entityType: "template",
      entityId: id,
      after: { name: template.name },
    });
    return after;
  });
}

/**
 * Every save is a new numbered version; the template row is locked so two saves at once get
 * consecutive numbers instead of colliding.
 */
export async function saveTemplateVersion(
  db: Db,
  actor: AuditActor,
  id: string,
  input: { name: string; definition: TemplateDefinition; restoredFrom?: number; baseVersion?: number },
): Promise<{ template: CardTemplate; version: number }> {
  await assertOwnReferences(db, actor.merchantId, input.definition);
  const saved = await db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(cardTemplates)
      .where(and(eq(cardTemplates.id, id), eq(cardTemplates.merchantId, actor.merchantId)))
      .for("update");
    if (!locked) throw new NotFoundError();
    // The editor says which version it started from: saving over someone else's newer one is refused.
    if (input.baseVersion !== undefined && input.baseVersion !== locked.currentVersion) {
      throw new AppError("conflict", "templates.errors.staleVersion", undefined, { version: locked.currentVersion });
    }
    const version = locked.currentVersion + 1;
    await tx.insert(cardTemplateVersions).values({
      merchantId: actor.merchantId,
      templateId: id,
      version,
      definition: input.definition,
      createdBy: actor.userId,
      restoredFrom: input.restoredFrom ?? null,
    });
    const [template] = await tx
      .update(cardTemplates)
      .set({ name: input.name, currentVersion: version, updatedAt: sql`now()` })
      .where(and(eq(cardTemplates.id, id), eq(cardTemplates.merchantId, actor.merchantId)))
      .returning();
    // Cards always render from the current version: each of them is a changed pass from now on (the
    // wallet follower moves their update tags on and queues the held ones).
    const jobs = await record(tx, { merchantId: actor.merchantId, actor: staffActor(actor.userId) }, [
      { type: "template.updated", data: { templateId: id, version, name: input.name } },
    ]);
    await recordAudit(tx, actor, {
      action: input.restoredFrom ? "template.restore" : "template.update",
      entityType: "template",
      entityId: id,
      before: { name: locked.name, version: locked.currentVersion },
      after: { name: input.name, version, restoredFrom: input.restoredFrom ?? null },
    });
    return { template, version, jobs };
  });
  await wake(saved.jobs);
  return { template: saved.template, version: saved.version };
}

/** Restoring never rewrites history: the old design comes back as a new version. */
export async function restoreTemplateVersion(db: Db, actor: AuditActor, id: string, version: number) {
  const { template } = await getTemplateOrThrow(db, actor.merchantId, id);
  const old = await findTemplateVersion(db, actor.merchantId, id, version);
  if (!old) throw new NotFoundError();
  // A point of sale deleted since that version is left out rather than blocking the restore.
  const ids = old.definition.locations.map((l) => l.locationId);
  const existing = ids.length
    ? new Set(
        (
          await db
            .select({ id: locations.id })
            .from(locations)
            .where(and(eq(locations.merchantId, actor.merchantId), inArray(locations.id, ids)))
        ).map((r) => r.id),
      )
    : new Set<string>();
  const definition = { ...old.definition, locations: old.definition.locations.filter((l) => existing.has(l.locationId)) };
  return saveTemplateVersion(db, actor, id, { name: template.name, definition, restoredFrom: version });
}
