import "server-only";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db";
import { merchants, staffRecoveryCodes, staffTotp, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { verifyPassword } from "@/lib/auth/password";
import { decryptSecret, encryptSecret, secretContext } from "@/lib/crypto/secrets";
import { AppError, NotFoundError, fieldError } from "@/lib/errors";
import { qrSvg } from "@/lib/qr";
import { remainingRecoveryCodes, replaceRecoveryCodes, spendRecoveryCode } from "./recovery-codes";
import { checkTotp, newTotpSecret, totpUri } from "./totp";

export type Actor = { merchantId: string; userId: string };
type UserRef = { id: string; merchantId: string };

const context = (u: UserRef) => secretContext(u.merchantId, `totp:${u.id}`);

async function getUserOrThrow(db: Db, actor: Actor) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, actor.userId), eq(users.merchantId, actor.merchantId)));
  if (!user) throw new NotFoundError();
  return user;
}

/** Sensitive changes ask for the password again, so a browser left signed in is not enough. */
async function confirmPassword(db: Db, actor: Actor, password: string) {
  const user = await getUserOrThrow(db, actor);
  if (!(await verifyPassword(user.passwordHash, password))) throw fieldError("password", "validation.currentPasswordWrong");
  return user;
}

async function getTotpRow(db: Db, u: UserRef) {
  const [row] = await db
    .select()
    .from(staffTotp)
    .where(and(eq(staffTotp.userId, u.id), eq(staffTotp.merchantId, u.merchantId)));
  return row;
}

export type TwoFactorState = { status: "off" } | { status: "pending"; secret: string; qr: string } | { status: "on"; enabledAt: Date; remainingCodes: number };

/** What Settings → Security shows: off, waiting for the first code (with the QR), or on. */
export async function getTwoFactorState(db: Db, actor: Actor): Promise<TwoFactorState> {
  const u = { id: actor.userId, merchantId: actor.merchantId };
  const row = await getTotpRow(db, u);
  if (!row) return { status: "off" };
  if (row.enabledAt) return { status: "on", enabledAt: row.enabledAt, remainingCodes: await remainingRecoveryCodes(db, u) };
  const secret = decryptSecret(row.secretSealed, context(u)).toString();
  const user = await getUserOrThrow(db, actor);
  return { status: "pending", secret, qr: await qrSvg(totpUri(secret, user.email)) };
}

export async function isTwoFactorOn(db: Db, u: UserRef): Promise<boolean> {
  return Boolean((await getTotpRow(db, u))?.enabledAt);
}

/** Step one of enabling: after the password, a new secret waits (sealed) for its first correct code. */
export async function startTwoFactorSetup(db: Db, actor: Actor, password: string): Promise<void> {
  const user = await confirmPassword(db, actor, password);
  const u = { id: user.id, merchantId: user.merchantId };
  const existing = await getTotpRow(db, u);
  if (existing?.enabledAt) throw new AppError("conflict", "security.errors.alreadyOn");
  const secretSealed = encryptSecret(newTotpSecret(), context(u));
  await db
    .insert(staffTotp)
    .values({ userId: u.id, merchantId: u.merchantId, secretSealed })
    .onConflictDoUpdate({ target: staffTotp.userId, set: { secretSealed, enabledAt: null, lastStep: null } });
}

/** Step two: 2FA is on only once a code from the app matched. Returns the recovery codes, shown once. */
export async function confirmTwoFactorSetup(db: Db, actor: Actor, code: string, now = new Date()): Promise<string[]> {
  const u = { id: actor.userId, merchantId: actor.merchantId };
  const row = await getTotpRow(db, u);
  if (!row || row.enabledAt) throw new AppError("conflict", "security.errors.noSetup");
  const step = await checkTotp(decryptSecret(row.secretSealed, context(u)).toString(), code.trim(), now, null);
  if (step === null) throw fieldError("code", "security.errors.wrongCode");
  return db.transaction(async (tx) => {
    const [on] = await tx
      .update(staffTotp)
      .set({ enabledAt: now, lastStep: step })
      .where(and(eq(staffTotp.userId, u.id), eq(staffTotp.merchantId, u.merchantId), isNull(staffTotp.enabledAt)))
      .returning({ userId: staffTotp.userId });
    if (!on) throw new AppError("conflict", "security.errors.noSetup");
    const codes = await replaceRecoveryCodes(tx, u);
    await recordAudit(tx, actor, { action: "user.2fa.enable", entityType: "user", entityId: u.id });
    return codes;
  });
}

export async function regenerateRecoveryCodes(db: Db, actor: Actor, password: string): Promise<string[]> {
  const user = await confirmPassword(db, actor, password);
  const u = { id: user.id, merchantId: user.merchantId };
  if (!(await getTotpRow(db, u))?.enabledAt) throw new AppError("conflict", "security.errors.notOn");
  return db.transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, u);
    await recordAudit(tx, actor, { action: "user.2fa.recovery_codes", entityType: "user", entityId: u.id });
    return codes;
  });
}

/** Turning 2FA off needs the password, and is refused while the owner requires it. */
export async function disableTwoFactor(db: Db, actor: Actor, password: string): Promise<void> {
  const user = await confirmPassword(db, actor, password);
  const [merchant] = await db.select({ required: merchants.requireTwoFactor }).from(merchants).where(eq(merchants.id, actor.merchantId));
  if (merchant?.required) throw new AppError("conflict", "security.errors.required");
  await db.transaction(async (tx) => {
    await tx.delete(staffTotp).where(and(eq(staffTotp.userId, user.id), eq(staffTotp.merchantId, actor.merchantId)));
    await tx.delete(staffRecoveryCodes).where(and(eq(staffRecoveryCodes.userId, user.id), eq(staffRecoveryCodes.merchantId, actor.merchantId)));
    await recordAudit(tx, actor, { action: "user.2fa.disable", entityType: "user", entityId: user.id });
  });
}

export type SecondFactor = { method: "totp" } | { method: "recovery_code"; remaining: number };

/**
 * The second step of sign-in: a 6-digit code from the app, or a recovery code. A code's step is
 * stored when it is accepted (conditionally, so two requests with one code cannot both pass), and no
 * code of that step or before is accepted again.
 */
export async function verifySecondFactor(db: Db, u: UserRef, input: string, now = new Date()): Promise<SecondFactor | null> {
  const code = input.trim().replace(/\s/g, "");
  const row = await getTotpRow(db, u);
  if (!row?.enabledAt) return null;
  if (/^\d{6}$/.test(code)) {
    const step = await checkTotp(decryptSecret(row.secretSealed, context(u)).toString(), code, now, row.lastStep);
    if (step === null) return null;
    const [took] = await db
      .update(staffTotp)
      .set({ lastStep: step })
      .where(and(eq(staffTotp.userId, u.id), eq(staffTotp.merchantId, u.merchantId), or(isNull(staffTotp.lastStep), lt(staffTotp.lastStep, step))))
      .returning({ userId: staffTotp.userId });
    return took ? { method: "totp" } : null;
  }
  const remaining = await spendRecoveryCode(db, u, code);
  return remaining === null ? null : { method: "recovery_code", remaining };
}

/** The owner's switch: every staff member must use two-factor sign-in (those without it set it up next). */
export async function setTwoFactorRequired(db: Db, actor: Actor, required: boolean): Promise<void> {
  // Otherwise the switch would lock its owner into the set-up page at once.
  if (required && !(await isTwoFactorOn(db, { id: actor.userId, merchantId: actor.merchantId }))) throw new AppError("conflict", "security.errors.ownFirst");
  await db.transaction(async (tx) => {
    await tx.update(merchants).set({ requireTwoFactor: required, updatedAt: new Date() }).where(eq(merchants.id, actor.merchantId));
    await recordAudit(tx, actor, { action: required ? "merchant.2fa.require" : "merchant.2fa.optional", entityType: "merchant", entityId: actor.merchantId });
  });
}
