import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { reusable } from "@/db/reusable";
import { apiKeys, merchants, tills, tillSettings, type ApiKey, type Merchant, type Till, type TillSettings } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { ALL_SCOPES, API_SCOPES, type ApiScope } from "@/lib/validations/api-keys";

export { ALL_SCOPES, API_SCOPES, type ApiScope };

export const API_KEY_PREFIX = "cd_";

/** An API key as staff may see it: everything but the hash. */
export type ApiKeyView = Omit<ApiKey, "keyHash">;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

export function hasScope(granted: readonly string[], scope: ApiScope): boolean {
  return granted.includes(ALL_SCOPES) || granted.includes(scope);
}

function withoutHash(row: ApiKey): ApiKeyView {
  const { keyHash: _omit, ...visible } = row;
  return visible;
}

/** Stores a key's hash; the plain key is returned once and never kept. `value` is for scripted test setups. */
export async function createApiKey(
  db: Db,
  actor: AuditActor,
  input: { name: string; scopes: string[]; value?: string },
): Promise<{ key: string; row: ApiKey }> {
  const known = new Set<string>([ALL_SCOPES, ...API_SCOPES]);
  if (!input.scopes.length || input.scopes.some((s) => !known.has(s)))
    throw new AppError("validation", "apiKeys.errors.scopes", { scopes: "apiKeys.errors.scopes" });
  const key = input.value ?? generateApiKey();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        merchantId: actor.merchantId,
        name: input.name,
        scopes: input.scopes,
        prefix: key.slice(0, 8),
        keyHash: hashApiKey(key),
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, actor, { action: "apiKey.create", entityType: "apiKey", entityId: row.id, after: withoutHash(row) });
    return { key, row };
  });
}

/**
 * The merchant's keys, newest first, revoked ones included so staff can see what was turned off.
 * Not paginated: a merchant holds a handful of keys (one per till or integration).
 */
export async function listApiKeys(db: Db, merchantId: string): Promise<ApiKeyView[]> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.merchantId, merchantId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(withoutHash);
}

/** Turns a key off for good; it answers 401 from the next request on. A second revoke is refused. */
export async function revokeApiKey(db: Db, actor: AuditActor, id: string): Promise<ApiKeyView> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, actor.merchantId)))
      .for("update");
    if (!current) throw new NotFoundError();
    if (current.revokedAt) throw new AppError("conflict", "apiKeys.errors.alreadyRevoked");
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, actor.merchantId)))
      .returning();
    await recordAudit(tx, actor, {
      action: "apiKey.revoke",
      entityType: "apiKey",
      entityId: id,
      before: { name: current.name, revokedAt: null },
      after: { name: row.name, revokedAt: row.revokedAt },
    });
    return withoutHash(row);
  });
}

/**
 * The live key a request presents, with its merchant, the till the key belongs to (if any) and the
 * merchant's till rules; null for an unknown or revoked key. The till and its rules ride on this one
 * statement, so the till's guard rails cost a purchase no query of their own.
 */
// Built once (db/reusable): every API call asks it.
const liveKeyByHash = reusable((db) =>
  db
    .select({ key: apiKeys, merchant: merchants, till: tills, tillSettings })
    .from(apiKeys)
    .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
    .leftJoin(tills, and(eq(tills.apiKeyId, apiKeys.id), eq(tills.merchantId, apiKeys.merchantId)))
    .leftJoin(tillSettings, eq(tillSettings.merchantId, apiKeys.merchantId))
    .where(and(eq(apiKeys.keyHash, sql.placeholder("hash")), isNull(apiKeys.revokedAt))),
);

export type ActiveApiKey = { key: ApiKeyView; merchant: Merchant; till: Till | null; tillSettings: TillSettings | null };

export async function findActiveApiKey(db: Db, presented: string): Promise<ActiveApiKey | null> {
  const [row] = await liveKeyByHash(db, { hash: hashApiKey(presented) });
  return row ? { key: withoutHash(row.key), merchant: row.merchant, till: row.till, tillSettings: row.tillSettings } : null;
}

export const LAST_USED_RESOLUTION_MS = 60_000;

// Per process; the conditional UPDATE below keeps several instances from writing more than about
// once a minute between them, and this map keeps one instance from even asking on every request.
const holder = globalThis as unknown as { __carddeskKeyTouched?: Map<string, number> };
const touched = (holder.__carddeskKeyTouched ??= new Map());

/**
 * Records that a key was used, at most once a minute per key: "last used" is for staff deciding
 * which keys are still alive, and a write per request would make every API call a write.
 */
export async function touchApiKey(db: Db, key: Pick<ApiKey, "id" | "lastUsedAt">, now = Date.now()): Promise<void> {
  const last = Math.max(touched.get(key.id) ?? 0, key.lastUsedAt?.getTime() ?? 0);
  if (now - last < LAST_USED_RESOLUTION_MS) return;
  touched.set(key.id, now);
  const threshold = new Date(now - LAST_USED_RESOLUTION_MS);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, threshold))));
}
