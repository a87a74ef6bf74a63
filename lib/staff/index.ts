import "server-only";
import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { users, type StaffRole, type User } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { findUserByEmail } from "@/lib/auth/authenticate";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { getEnv } from "@/lib/env";
import { AppError, NotFoundError, fieldError, isUniqueViolation } from "@/lib/errors";
import { getMerchantOrThrow } from "@/lib/merchants";
import { queueMessage } from "@/lib/outbox";
import { endAllStaffSessions } from "@/lib/staff-security/sessions";
import type { AddStaffInput } from "@/lib/validations/staff";

export const STAFF_PAGE_SIZE = 25;

// The verified phone is the staff member's own (Settings → Security), not shown to colleagues.
export type StaffMember = Omit<User, "passwordHash" | "sessionVersion" | "phone" | "phoneVerifiedAt">;

const publicColumns = {
  id: users.id,
  merchantId: users.merchantId,
  email: users.email,
  name: users.name,
  role: users.role,
  active: users.active,
  locale: users.locale,
  maySkipConfirmation: users.maySkipConfirmation,
  lastSignInAt: users.lastSignInAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export async function listStaff(db: Db, merchantId: string, opts: { page: number; pageSize: number }) {
  const where = eq(users.merchantId, merchantId);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select(publicColumns)
      .from(users)
      .where(where)
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { rows, total };
}

async function getStaffOrThrow(db: Db, merchantId: string, id: string): Promise<StaffMember> {
  const [row] = await db
    .select(publicColumns)
    .from(users)
    .where(and(eq(users.id, id), eq(users.merchantId, merchantId)));
  if (!row) throw new NotFoundError();
  return row;
}

/** Adds a staff member and e-mails them where to sign in. Returns the outbox ids to dispatch after commit. */
export async function addStaff(db: Db, actor: AuditActor, input: AddStaffInput): Promise<{ member: StaffMember; outboxIds: string[] }> {
  const passwordHash = await hashPassword(input.password);
  return db
    .transaction(async (tx) => {
      if (await findUserByEmail(tx, input.email)) throw fieldError("email", "validation.emailTaken");
      // (A concurrent add of the same e-mail is caught by the unique index below.)
      const merchant = await getMerchantOrThrow(tx, actor.merchantId);
      const [created] = await tx
        .insert(users)
        .values({ merchantId: actor.merchantId, email: input.email, name: input.name, role: input.role, passwordHash })
        .returning(publicColumns);
      await recordAudit(tx, actor, { action: "staff.create", entityType: "user", entityId: created.id, after: created });
      const signInUrl = `${getEnv().APP_URL}/sign-in`;
      const mail = await queueMessage(tx, {
        merchantId: actor.merchantId,
        channel: "email",
        recipient: created.email,
        subject: `${merchant.name}: CardDesk access / доступ в CardDesk`,
        body:
          `${created.name}, you have been added to ${merchant.name} on CardDesk as ${created.role}. Sign in at ${signInUrl} with this e-mail and the password you were given.\n\n` +
          `${created.name}, вас добавили в ${merchant.name} в CardDesk (роль: ${created.role}). Войдите на ${signInUrl} с этим e-mail и выданным паролем.`,
      });
      return { member: created, outboxIds: [mail] };
    })
    .catch((err) => {
      if (isUniqueViolation(err, "users_email")) throw fieldError("email", "validation.emailTaken");
      throw err;
    });
}

/** An organisation always keeps one active owner, and nobody demotes or locks out themselves. */
async function assertNotLastOwner(db: Db, merchantId: string, member: StaffMember) {
  if (member.role !== "owner" || !member.active) return;
  // Locking the owners serialises two owners demoting each other at once, so one of them stays.
  const others = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.merchantId, merchantId), eq(users.role, "owner"), eq(users.active, true), ne(users.id, member.id)))
    .for("update");
  if (others.length === 0) throw new AppError("conflict", "staff.errors.lastOwner");
}

export function changeStaffRole(db: Db, actor: AuditActor, id: string, role: StaffRole): Promise<StaffMember> {
  return db.transaction(async (tx) => {
    if (id === actor.userId) throw new AppError("conflict", "staff.errors.self");
    const before = await getStaffOrThrow(tx, actor.merchantId, id);
    if (before.role === role) return before;
    if (role !== "owner") await assertNotLastOwner(tx, actor.merchantId, before);
    const [after] = await tx
      .update(users)
      .set({ role, updatedAt: new Date() })
      .where(and(eq(users.id, id), eq(users.merchantId, actor.merchantId)))
      .returning(publicColumns);
    await recordAudit(tx, actor, { action: "staff.role", entityType: "user", entityId: id, before: { role: before.role }, after: { role } });
    return after;
  });
}

export function setStaffActive(db: Db, actor: AuditActor, id: string, active: boolean): Promise<StaffMember> {
  return db.transaction(async (tx) => {
    if (id === actor.userId) throw new AppError("conflict", "staff.errors.self");
    const before = await getStaffOrThrow(tx, actor.merchantId, id);
    if (!active) await assertNotLastOwner(tx, actor.merchantId, before);
    const [after] = await tx
      .update(users)
      .set({ active, updatedAt: new Date(), ...(active ? {} : { sessionVersion: sql`${users.sessionVersion} + 1` }) })
      .where(and(eq(users.id, id), eq(users.merchantId, actor.merchantId)))
      .returning(publicColumns);
    if (!active) await endAllStaffSessions(tx, { id, merchantId: actor.merchantId }, "deactivated");
    await recordAudit(tx, actor, {
      action: active ? "staff.activate" : "staff.deactivate",
      entityType: "user",
      entityId: id,
      before: { active: before.active },
      after: { active },
    });
    return after;
  });
}

/** The owner's per-member switch "may complete without the customer's code" (lib/auth/roles maySkipConfirmation). */
export function setStaffSkipConfirmation(db: Db, actor: AuditActor, id: string, allowed: boolean): Promise<StaffMember> {
  return db.transaction(async (tx) => {
    const before = await getStaffOrThrow(tx, actor.merchantId, id);
    const [after] = await tx
      .update(users)
      .set({ maySkipConfirmation: allowed, updatedAt: new Date() })
      .where(and(eq(users.id, id), eq(users.merchantId, actor.merchantId)))
      .returning(publicColumns);
    await recordAudit(tx, actor, {
      action: "staff.skipConfirmation",
      entityType: "user",
      entityId: id,
      before: { maySkipConfirmation: before.maySkipConfirmation },
      after: { maySkipConfirmation: allowed },
    });
    return after;
  });
}

export async function changePassword(db: Db, actor: AuditActor & { userId: string }, current: string, next: string): Promise<void> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, actor.userId), eq(users.merchantId, actor.merchantId)));
  if (!user) throw new NotFoundError();
  if (!(await verifyPassword(user.passwordHash, current))) throw fieldError("currentPassword", "validation.currentPasswordWrong");
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: new Date(), sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, user.id));
    await endAllStaffSessions(tx, user, "password_changed");
    await recordAudit(tx, actor, { action: "user.password", entityType: "user", entityId: user.id });
  });
}

/** The cabinet language a staff member chose; applied again at their next sign-in. */
export async function setStaffLocale(db: Db, actor: AuditActor & { userId: string }, locale: string): Promise<void> {
  await db
    .update(users)
    .set({ locale })
    .where(and(eq(users.id, actor.userId), eq(users.merchantId, actor.merchantId)));
}
