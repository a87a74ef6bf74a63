import "server-only";
import { and, eq, gte, inArray, lte, ne, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { merchantCredentials, merchantNotifications } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { encryptSecret, secretContext } from "@/lib/crypto/secrets";
import { AppError, isUniqueViolation, NotFoundError } from "@/lib/errors";
import { createNotification } from "@/lib/notifications";
import type { AppleSigningMaterial } from "@/lib/passes/apple/dev-certificate";
import { findAppleIssuer, type AppleTrust } from "@/lib/passes/apple/apple-chain";
import { forgetAppleSigner } from "@/lib/passes/apple/signer";
import { decryptSecret } from "@/lib/crypto/secrets";
import { X509Certificate } from "node:crypto";

export const EXPIRY_WARNING_DAYS = 30;
const DAY = 86_400_000;

export type AppleCertificateStatus = { passTypeId: string | null; teamId: string | null; expiresAt: Date | null; development: boolean; expiringSoon: boolean };

/** What the merchant's passes are signed with now (null: nothing yet; a development certificate is made with the first pass). */
export async function getAppleCertificateStatus(db: Db, merchantId: string, now = new Date()): Promise<AppleCertificateStatus | null> {
  const rows = await db
    .select({
      kind: merchantCredentials.kind,
      passTypeId: merchantCredentials.passTypeId,
      teamId: merchantCredentials.teamId,
      expiresAt: merchantCredentials.expiresAt,
    })
    .from(merchantCredentials)
    .where(eq(merchantCredentials.merchantId, merchantId));
  const row = rows.find((r) => r.kind === "apple") ?? rows.find((r) => r.kind === "apple_dev");
  if (!row) return null;
  const expiringSoon = row.kind === "apple" && !!row.expiresAt && row.expiresAt.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY;
  return { passTypeId: row.passTypeId, teamId: row.teamId, expiresAt: row.expiresAt, development: row.kind === "apple_dev", expiringSoon };
}

async function warnIfExpiring(db: Db, merchantId: string, expiresAt: Date, now: Date) {
  if (expiresAt.getTime() - now.getTime() >= EXPIRY_WARNING_DAYS * DAY) return;
  const date = expiresAt.toISOString().slice(0, 10);
  // One warning per certificate expiry date, however often the check runs.
  const [already] = await db
    .select({ id: merchantNotifications.id })
    .from(merchantNotifications)
    .where(
      and(
        eq(merchantNotifications.merchantId, merchantId),
        eq(merchantNotifications.kind, "certificateExpiring"),
        sql`${merchantNotifications.params}->>'date' = ${date}`,
      ),
    );
  if (!already) await createNotification(db, merchantId, { kind: "certificateExpiring", level: "warning", params: { date } });
}

/** The constraint that keeps one pass type identifier with one merchant (see db/schema/credentials.ts). */
const PASS_TYPE_OWNER_INDEX = "merchant_credentials_apple_pass_type_idx";

const passTypeTaken = (field: string, passTypeId: string) =>
  new AppError("conflict", "certificates.errors.passTypeTaken", { [field]: "certificates.errors.passTypeTaken" }, { passTypeId });

/**
 * Stores the merchant's own pass type certificate (sealed); passes are signed with it from now on.
 * A pass type identifier belongs to one merchant at a time: Wallet's requests name only the pass type
 * and serial, so a second holder would be answered for the first. Another merchant's identifier
 * (uploaded, or the development one CardDesk made for it) is refused; the unique index settles races.
 */
export async function saveAppleCertificate(
  db: Db,
  actor: AuditActor,
  material: AppleSigningMaterial,
  opts: { now?: Date; field?: string } = {},
): Promise<void> {
  const now = opts.now ?? new Date();
  const field = opts.field ?? "p12";
  const sealed = encryptSecret(JSON.stringify(material), secretContext(actor.merchantId, "apple"));
  try {
    await db.transaction(async (tx) => {
      const [taken] = await tx
        .select({ id: merchantCredentials.id })
        .from(merchantCredentials)
        .where(and(eq(merchantCredentials.passTypeId, material.passTypeId), ne(merchantCredentials.merchantId, actor.merchantId)))
        .limit(1);
      if (taken) throw passTypeTaken(field, material.passTypeId);
      const values = { sealed, passTypeId: material.passTypeId, teamId: material.teamId, expiresAt: material.expiresAt, updatedAt: new Date() };
      await tx
        .insert(merchantCredentials)
        .values({ merchantId: actor.merchantId, kind: "apple", ...values })
        .onConflictDoUpdate({ target: [merchantCredentials.merchantId, merchantCredentials.kind], set: values });
      await recordAudit(tx, actor, {
        action: "certificate.apple.upload",
        entityType: "certificate",
        after: { passTypeId: material.passTypeId, teamId: material.teamId, expiresAt: material.expiresAt.toISOString() },
      });
      await warnIfExpiring(tx, actor.merchantId, material.expiresAt, now);
    });
  } catch (err) {
    if (isUniqueViolation(err, PASS_TYPE_OWNER_INDEX)) throw passTypeTaken(field, material.passTypeId);
    throw err;
  }
  forgetAppleSigner(actor.merchantId);
}

export async function removeAppleCertificate(db: Db, actor: AuditActor): Promise<void> {
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(merchantCredentials)
      .where(and(eq(merchantCredentials.merchantId, actor.merchantId), eq(merchantCredentials.kind, "apple")))
      .returning({ passTypeId: merchantCredentials.passTypeId });
    if (!removed) throw new NotFoundError();
    await recordAudit(tx, actor, { action: "certificate.apple.remove", entityType: "certificate", before: removed });
  });
  forgetAppleSigner(actor.merchantId);
}

/** Daily job: a top-bar warning for every uploaded certificate that expires within 30 days. */
export async function warnExpiringCertificates(db: Db, now = new Date()): Promise<number> {
  const rows = await db
    .select({ merchantId: merchantCredentials.merchantId, expiresAt: merchantCredentials.expiresAt })
    .from(merchantCredentials)
    .where(
      and(
        eq(merchantCredentials.kind, "apple"),
        lte(merchantCredentials.expiresAt, new Date(now.getTime() + EXPIRY_WARNING_DAYS * DAY)),
        gte(merchantCredentials.expiresAt, new Date(now.getTime() - 7 * DAY)),
      ),
    );
  for (const row of rows) if (row.expiresAt) await warnIfExpiring(db, row.merchantId, row.expiresAt, now);
  return rows.length;
}

/**
 * Whether stored signing material chains to Apple's root. Dates are checked now, or, for a certificate
 * that has expired, at its last valid moment, so a genuine certificate that merely expired is not
 * taken for a forged one (expiry has its own warning).
 */
function chainsToApple(material: AppleSigningMaterial, trust: AppleTrust, now: Date): boolean {
  try {
    const leaf = new X509Certificate(material.signerCertPem);
    const at = new Date(Math.min(now.getTime(), Date.parse(leaf.validTo) - 1000));
    return !!findAppleIssuer(leaf.raw, material.wwdrPem ? [material.wwdrPem] : [], at, trust);
  } catch {
    return false;
  }
}

/**
 * Daily, and once after upgrading: certificates stored before uploads were checked against Apple's
 * root (a merchant's own CA presented as "WWDR" was accepted then) are removed, so passes fall back to
 * the development certificate and the pass type id is free for its real owner. The merchant is told
 * and the activity log says why. Returns how many were removed.
 */
export async function removeUntrustedAppleCertificates(db: Db, opts: { trust?: AppleTrust; merchantIds?: string[] } = {}): Promise<number> {
  const trust = opts.trust ?? {};
  const rows = await db
    .select()
    .from(merchantCredentials)
    .where(and(eq(merchantCredentials.kind, "apple"), opts.merchantIds ? inArray(merchantCredentials.merchantId, opts.merchantIds) : undefined));
  let removed = 0;
  for (const row of rows) {
    let material: AppleSigningMaterial;
    try {
      material = JSON.parse(decryptSecret(row.sealed, secretContext(row.merchantId, "apple")).toString()) as AppleSigningMaterial;
    } catch {
      continue; // Sealed under another key: it cannot be used to sign either, and says so on its own page.
    }
    if (chainsToApple(material, trust, new Date())) continue;
    await db.transaction(async (tx) => {
      await tx.delete(merchantCredentials).where(and(eq(merchantCredentials.id, row.id), eq(merchantCredentials.merchantId, row.merchantId)));
      await recordAudit(
        tx,
        { merchantId: row.merchantId, userId: null },
        { action: "certificate.apple.untrusted", entityType: "certificate", before: { passTypeId: row.passTypeId, teamId: row.teamId } },
      );
      await createNotification(tx, row.merchantId, { kind: "certificateUntrusted", level: "error", params: { passTypeId: row.passTypeId ?? "" } });
    });
    forgetAppleSigner(row.merchantId);
    removed += 1;
  }
  return removed;
}
