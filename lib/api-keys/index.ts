import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/db";
import { apiKeys, type ApiKey } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";

export const API_KEY_PREFIX = "cd_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** Stores a key's hash; the plain key is returned once and never kept. `value` is for scripted test setups. */
export async function createApiKey(
  db: Db,
  actor: AuditActor,
  input: { name: string; scopes: string[]; value?: string },
): Promise<{ key: string; row: ApiKey }> {
  const key = input.value ?? generateApiKey();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ merchantId: actor.merchantId, name: input.name, scopes: input.scopes, prefix: key.slice(0, 8), keyHash: hashApiKey(key), createdBy: actor.userId })
      .returning();
    const { keyHash: _omit, ...visible } = row;
    await recordAudit(tx, actor, { action: "apiKey.create", entityType: "apiKey", entityId: row.id, after: visible });
    return { key, row };
  });
}
