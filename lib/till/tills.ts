import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { apiKeys, cardTemplates, locations, tills, tillSettings, type Till, type TillSettings } from "@/db/schema";
import { createApiKey, revokeApiKey } from "@/lib/api-keys";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";

export const DEFAULT_TILL_SCOPES = ["pos:write"] as const;

export type TillRow = Till & { locationName: string | null; keyPrefix: string | null; keyRevoked: boolean; scopes: string[] };

/** The merchant's tills with their point of sale and key; a merchant has a handful, so no pages. */
export async function listTills(db: Db, merchantId: string): Promise<TillRow[]> {
  const rows = await db
    .select({ till: tills, locationName: locations.name, keyPrefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt, scopes: apiKeys.scopes })
    .from(tills)
    .leftJoin(locations, and(eq(locations.id, tills.locationId), eq(locations.merchantId, merchantId)))
    .leftJoin(apiKeys, and(eq(apiKeys.id, tills.apiKeyId), eq(apiKeys.merchantId, merchantId)))
    .where(eq(tills.merchantId, merchantId))
    .orderBy(asc(tills.name), asc(tills.id));
  return rows.map((r) => ({ ...r.till, locationName: r.locationName, keyPrefix: r.keyPrefix, keyRevoked: !!r.revokedAt, scopes: r.scopes ?? [] }));
}

export async function getTillOrThrow(db: Db, merchantId: string, id: string): Promise<Till> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(tills)
        .where(and(eq(tills.id, id), eq(tills.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

async function checkLocation(db: Db, merchantId: string, locationId: string | undefined) {
  if (!locationId) return;
  const [found] = await db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.id, locationId), eq(locations.merchantId, merchantId)));
  if (!found) throw new AppError("validation", "till.errors.location", { locationId: "till.errors.location" });
}

/** A new till with its own API key (scopes as chosen, `pos:write` by default); the key is returned once. */
export async function createTill(
  db: Db,
  actor: AuditActor,
  input: { name: string; locationId?: string; scopes?: string[]; keyValue?: string },
): Promise<{ till: Till; key: string }> {
  await checkLocation(db, actor.merchantId, input.locationId);
  return db.transaction(async (tx) => {
    const { key, row: apiKey } = await createApiKey(tx, actor, {
      name: `Till: ${input.name}`.slice(0, 80),
      scopes: input.scopes?.length ? input.scopes : [...DEFAULT_TILL_SCOPES],
      value: input.keyValue,
    });
    const [till] = await tx
      .insert(tills)
      .values({ merchantId: actor.merchantId, name: input.name, locationId: input.locationId ?? null, apiKeyId: apiKey.id })
      .returning();
    await recordAudit(tx, actor, { action: "till.create", entityType: "till", entityId: till.id, after: till });
    return { till, key };
  });
}

export async function updateTill(db: Db, actor: AuditActor, id: string, input: { name: string; locationId?: string }): Promise<Till> {
  const before = await getTillOrThrow(db, actor.merchantId, id);
  await checkLocation(db, actor.merchantId, input.locationId);
  const [till] = await db
    .update(tills)
    .set({ name: input.name, locationId: input.locationId ?? null, updatedAt: sql`now()` })
    .where(and(eq(tills.id, id), eq(tills.merchantId, actor.merchantId)))
    .returning();
  await recordAudit(db, actor, { action: "till.update", entityType: "till", entityId: id, before, after: till });
  return till;
}

/** Deletes a till and revokes its key; its transactions keep their history (till set to null). */
export async function deleteTill(db: Db, actor: AuditActor, id: string): Promise<void> {
  const till = await getTillOrThrow(db, actor.merchantId, id);
  if (till.apiKeyId) await revokeApiKey(db, actor, till.apiKeyId).catch(() => undefined);
  await db.delete(tills).where(and(eq(tills.id, id), eq(tills.merchantId, actor.merchantId)));
  await recordAudit(db, actor, { action: "till.delete", entityType: "till", entityId: id, before: till });
}

export type TillRules = Pick<TillSettings, "redeemPerCardPerDay" | "redeemPerTillPerHour" | "phoneWithoutPin" | "confirmChannel" | "issueTemplateId">;

export const DEFAULT_TILL_RULES: TillRules = {
  redeemPerCardPerDay: null,
  redeemPerTillPerHour: null,
  phoneWithoutPin: true,
  confirmChannel: "sms",
  issueTemplateId: null,
};

export async function getTillRules(db: Db, merchantId: string): Promise<TillSettings | null> {
  const [row] = await db.select().from(tillSettings).where(eq(tillSettings.merchantId, merchantId));
  return row ?? null;
}

export async function saveTillRules(db: Db, actor: AuditActor, rules: TillRules): Promise<TillSettings> {
  if (rules.issueTemplateId) {
    const [own] = await db
      .select({ id: cardTemplates.id })
      .from(cardTemplates)
      .where(and(eq(cardTemplates.id, rules.issueTemplateId), eq(cardTemplates.merchantId, actor.merchantId)));
    if (!own) throw new AppError("validation", "cards.errors.template", { issueTemplateId: "cards.errors.template" });
  }
  const before = await getTillRules(db, actor.merchantId);
  const [row] = await db
    .insert(tillSettings)
    .values({ merchantId: actor.merchantId, ...rules })
    .onConflictDoUpdate({ target: tillSettings.merchantId, set: { ...rules, updatedAt: sql`now()` } })
    .returning();
  await recordAudit(db, actor, { action: "till.rules", entityType: "tillSettings", entityId: actor.merchantId, before, after: row });
  return row;
}
