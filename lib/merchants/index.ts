import "server-only";
import { randomBytes } from "node:crypto";
import { eq, like } from "drizzle-orm";
import type { Db } from "@/db";
import { merchants, users, type Merchant, type User } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { findUserByEmail } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { NotFoundError, fieldError, isUniqueViolation } from "@/lib/errors";
import { deleteFile, saveFile } from "@/lib/files";
import { createNotification } from "@/lib/notifications";
import { queueMessage } from "@/lib/outbox";
import type { SignUpInput } from "@/lib/validations/auth";
import type { OrganisationInput } from "@/lib/validations/merchants";
import { slugify } from "./slug";

export async function getMerchantOrThrow(db: Db, merchantId: string): Promise<Merchant> {
  const [merchant] = await db.select().from(merchants).where(eq(merchants.id, merchantId));
  if (!merchant) throw new NotFoundError();
  return merchant;
}

/** What a merchant's page slug looks like (slugify makes only these). */
export const isSlug = (value: string) => /^[a-z0-9-]{1,80}$/.test(value);

/** A merchant by the slug of its public page (/m/{slug}); null when there is none. */
export async function findMerchantBySlug(db: Db, slug: string): Promise<Merchant | null> {
  if (!isSlug(slug)) return null;
  const [merchant] = await db.select().from(merchants).where(eq(merchants.slug, slug));
  return merchant ?? null;
}

async function uniqueSlug(db: Db, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (
      await db
        .select({ slug: merchants.slug })
        .from(merchants)
        .where(like(merchants.slug, `${base}%`))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; i < 1000; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  return `${base}-${randomBytes(3).toString("hex")}`;
}

/**
 * Sign-up: a new merchant with its owner, a welcome notification and a welcome e-mail, in one transaction.
 * Returns the outbox ids to dispatch after commit.
 */
export async function createMerchantWithOwner(
  db: Db,
  input: Omit<SignUpInput, "password"> & ({ password: string } | { passwordHash: string }),
): Promise<{ merchant: Merchant; owner: User; outboxIds: string[] }> {
  // A confirmed sign-up arrives with the hash made when the form was sent (lib/auth/sign-up).
  const passwordHash = "passwordHash" in input ? input.passwordHash : await hashPassword(input.password);
  // The checks below can lose a race with a concurrent sign-up; the unique indexes then decide, and
  // the loser gets the same answer as if it had been second all along.
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => insertMerchantWithOwner(tx, input, passwordHash));
    } catch (err) {
      if (isUniqueViolation(err, "users_email")) throw fieldError("email", "validation.emailTaken");
      if (isUniqueViolation(err, "slug") && attempt < 3) continue;
      throw err;
    }
  }
}

async function insertMerchantWithOwner(tx: Db, input: Omit<SignUpInput, "password">, passwordHash: string) {
  if (await findUserByEmail(tx, input.email)) throw fieldError("email", "validation.emailTaken");
  const [merchant] = await tx
    .insert(merchants)
    .values({ name: input.organisation, slug: await uniqueSlug(tx, input.organisation) })
    .returning();
  const [owner] = await tx.insert(users).values({ merchantId: merchant.id, email: input.email, name: input.name, passwordHash, role: "owner" }).returning();
  const actor = { merchantId: merchant.id, userId: owner.id };
  await recordAudit(tx, actor, { action: "merchant.create", entityType: "merchant", entityId: merchant.id, after: merchant });
  await createNotification(tx, merchant.id, { kind: "welcome", level: "success", params: { name: merchant.name } });
  const welcome = await queueMessage(tx, {
    merchantId: merchant.id,
    channel: "email",
    recipient: owner.email,
    subject: `Welcome to CardDesk / Добро пожаловать в CardDesk`,
    body: `${owner.name}, your organisation "${merchant.name}" is ready.\nВаша организация «${merchant.name}» создана.`,
  });
  return { merchant, owner, outboxIds: [welcome] };
}

export function updateOrganisation(db: Db, actor: AuditActor, input: OrganisationInput): Promise<Merchant> {
  return db.transaction(async (tx) => {
    const before = await getMerchantOrThrow(tx, actor.merchantId);
    const empty = (v: string) => (v === "" ? null : v);
    const [after] = await tx
      .update(merchants)
      .set({
        name: input.name,
        legalName: empty(input.legalName),
        taxId: empty(input.taxId),
        legalAddress: empty(input.legalAddress),
        contactEmail: empty(input.contactEmail),
        contactPhone: empty(input.contactPhone),
        timeZone: input.timeZone,
        currency: input.currency,
        updatedAt: new Date(),
      })
      .where(eq(merchants.id, actor.merchantId))
      .returning();
    await recordAudit(tx, actor, { action: "merchant.update", entityType: "merchant", entityId: actor.merchantId, before, after });
    return after;
  });
}

/**
 * Puts a new logo (or none) in place and deletes the old file, in one transaction with the merchant
 * row locked, so two uploads at once leave no orphaned file.
 */
export function replaceMerchantLogo(db: Db, actor: AuditActor, logo: { buf: Buffer; contentType: string } | null): Promise<Merchant> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(merchants).where(eq(merchants.id, actor.merchantId)).for("update");
    if (!before) throw new NotFoundError();
    const logoFileId = logo ? await saveFile(tx, actor.merchantId, logo.buf, logo.contentType) : null;
    const [after] = await tx.update(merchants).set({ logoFileId, updatedAt: new Date() }).where(eq(merchants.id, actor.merchantId)).returning();
    if (before.logoFileId) await deleteFile(tx, actor.merchantId, before.logoFileId);
    await recordAudit(tx, actor, {
      action: logoFileId ? "merchant.logo.set" : "merchant.logo.remove",
      entityType: "merchant",
      entityId: actor.merchantId,
      before: { logoFileId: before.logoFileId },
      after: { logoFileId },
    });
    return after;
  });
}
