import "server-only";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { merchantCredentials, merchants } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { decryptSecret, encryptSecret, secretContext } from "@/lib/crypto/secrets";
import { AppError, NotFoundError } from "@/lib/errors";
import type { ServiceAccount } from "./index";

export type GoogleIssuer = { account: ServiceAccount; issuerId: string; development: boolean };

const refuse = (field: string, message: string) => new AppError("validation", message, { [field]: message });

/** Reads an uploaded service-account key file and the issuer id from the Google Pay & Wallet console. */
export function parseServiceAccount(json: string, issuerId: string): { account: ServiceAccount; issuerId: string } {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw refuse("serviceAccount", "certificates.google.errors.json");
  }
  const email = parsed.client_email;
  const key = parsed.private_key;
  if (parsed.type !== "service_account" || typeof email !== "string" || typeof key !== "string")
    throw refuse("serviceAccount", "certificates.google.errors.notServiceAccount");
  try {
    createPrivateKey(key);
  } catch {
    throw refuse("serviceAccount", "certificates.google.errors.key");
  }
  const issuer = issuerId.trim();
  if (!/^\d{10,25}$/.test(issuer)) throw refuse("issuerId", "certificates.google.errors.issuerId");
  return { account: { client_email: email, private_key: key }, issuerId: issuer };
}

export async function saveGoogleIssuer(db: Db, actor: AuditActor, issuer: { account: ServiceAccount; issuerId: string }): Promise<void> {
  const sealed = encryptSecret(JSON.stringify(issuer), secretContext(actor.merchantId, "google"));
  await db.transaction(async (tx) => {
    await tx
      .insert(merchantCredentials)
      .values({ merchantId: actor.merchantId, kind: "google", sealed })
      .onConflictDoUpdate({ target: [merchantCredentials.merchantId, merchantCredentials.kind], set: { sealed, updatedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: "certificate.google.upload",
      entityType: "certificate",
      after: { email: issuer.account.client_email, issuerId: issuer.issuerId },
    });
  });
}

export async function removeGoogleIssuer(db: Db, actor: AuditActor): Promise<void> {
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(merchantCredentials)
      .where(and(eq(merchantCredentials.merchantId, actor.merchantId), eq(merchantCredentials.kind, "google")))
      .returning({ id: merchantCredentials.id });
    if (!removed) throw new NotFoundError();
    await recordAudit(tx, actor, { action: "certificate.google.remove", entityType: "certificate" });
  });
}

/**
 * The service account a merchant's Google links are signed with: its own, or else a key the app
 * generates once so the link is built the same way (Google will not accept it until a real one is set).
 */
export async function getGoogleIssuer(db: Db, merchantId: string): Promise<GoogleIssuer> {
  const rows = await db.select().from(merchantCredentials).where(eq(merchantCredentials.merchantId, merchantId));
  let row = rows.find((r) => r.kind === "google") ?? rows.find((r) => r.kind === "google_dev");
  if (!row) {
    const [merchant] = await db.select({ slug: merchants.slug }).from(merchants).where(eq(merchants.id, merchantId));
    if (!merchant) throw new NotFoundError();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const issuer = {
      account: { client_email: `carddesk-dev@${merchant.slug}.carddesk.invalid`, private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() },
      issuerId: "3388000000000000000",
    };
    await db
      .insert(merchantCredentials)
      .values({ merchantId, kind: "google_dev", sealed: encryptSecret(JSON.stringify(issuer), secretContext(merchantId, "google_dev")) })
      .onConflictDoNothing();
    [row] = await db
      .select()
      .from(merchantCredentials)
      .where(and(eq(merchantCredentials.merchantId, merchantId), eq(merchantCredentials.kind, "google_dev")));
  }
  const issuer = JSON.parse(decryptSecret(row.sealed, secretContext(merchantId, row.kind)).toString()) as { account: ServiceAccount; issuerId: string };
  return { ...issuer, development: row.kind === "google_dev" };
}

/** What the settings page shows: never the key, only whose it is. */
export async function getGoogleIssuerStatus(db: Db, merchantId: string): Promise<{ email: string; issuerId: string } | null> {
  const [row] = await db
    .select()
    .from(merchantCredentials)
    .where(and(eq(merchantCredentials.merchantId, merchantId), eq(merchantCredentials.kind, "google")));
  if (!row) return null;
  const issuer = JSON.parse(decryptSecret(row.sealed, secretContext(merchantId, "google")).toString()) as { account: ServiceAccount; issuerId: string };
  return { email: issuer.account.client_email, issuerId: issuer.issuerId };
}
