import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { merchantCredentials, merchants } from "@/db/schema";
import { decryptSecret, encryptSecret, secretContext } from "@/lib/crypto/secrets";
import { NotFoundError } from "@/lib/errors";
import { generateDevelopmentCertificate, type AppleSigningMaterial } from "./dev-certificate";

export type AppleSigner = AppleSigningMaterial & { development: boolean };

// Parsed signers by credential row and its last change: building a pass does not decrypt and re-read
// certificates every time, and an upload handled by another web instance is picked up at once.
const cache = new Map<string, { merchantId: string; signer: AppleSigner }>();

export function forgetAppleSigner(merchantId: string) {
  for (const [key, entry] of cache) if (entry.merchantId === merchantId) cache.delete(key);
}

/**
 * The certificate a merchant's passes are signed with: its uploaded pass type certificate, or else a
 * development certificate made once and kept (sealed) in merchant_credentials.
 */
export async function getAppleSigner(db: Db, merchantId: string): Promise<AppleSigner> {
  const rows = await db.select().from(merchantCredentials).where(eq(merchantCredentials.merchantId, merchantId));
  let row = rows.find((r) => r.kind === "apple") ?? rows.find((r) => r.kind === "apple_dev");
  if (!row) {
    const [merchant] = await db.select({ slug: merchants.slug }).from(merchants).where(eq(merchants.id, merchantId));
    if (!merchant) throw new NotFoundError();
    const material = generateDevelopmentCertificate(merchant.slug);
    // Two first passes at once: one insert wins, both then read the same row.
    await db
      .insert(merchantCredentials)
      .values({
        merchantId,
        kind: "apple_dev",
        sealed: encryptSecret(JSON.stringify(material), secretContext(merchantId, "apple_dev")),
        passTypeId: material.passTypeId,
        teamId: material.teamId,
        expiresAt: material.expiresAt,
      })
      .onConflictDoNothing();
    [row] = await db
      .select()
      .from(merchantCredentials)
      .where(and(eq(merchantCredentials.merchantId, merchantId), eq(merchantCredentials.kind, "apple_dev")));
  }
  const key = `${row.id}:${row.updatedAt.getTime()}`;
  const cached = cache.get(key);
  if (cached) return cached.signer;
  const material = JSON.parse(decryptSecret(row.sealed, secretContext(merchantId, row.kind)).toString()) as AppleSigningMaterial;
  const signer: AppleSigner = { ...material, expiresAt: new Date(material.expiresAt), development: row.kind === "apple_dev" };
  forgetAppleSigner(merchantId);
  cache.set(key, { merchantId, signer });
  return signer;
}

/** Whether the merchant has uploaded its own pass type certificate (else passes use the development one). */
export async function hasAppleCertificate(db: Db, merchantId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: merchantCredentials.id })
    .from(merchantCredentials)
    .where(and(eq(merchantCredentials.merchantId, merchantId), eq(merchantCredentials.kind, "apple")));
  return !!row;
}
