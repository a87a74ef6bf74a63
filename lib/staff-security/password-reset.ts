import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { passwordResets, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { findUserByEmail } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { countAttempt } from "@/lib/auth/throttle";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { queueMessage } from "@/lib/outbox";
import { endAllStaffSessions } from "./sessions";

/**
 * "Forgot password": a one-hour, single-use link by e-mail. The request answers the same whether or
 * not the address has an account (the caller shows one text), and does the same work up to the
 * write: a token is made and hashed either way. Only the token's SHA-256 is stored (it is 256 random
 * bits, so a keyed or slow hash adds nothing); the e-mail goes out as a platform message, so no
 * merchant's message list ever shows a colleague's link.
 */
export const RESET_LINK_MINUTES = 60;

const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

export async function requestPasswordReset(db: Db, email: string, ctx: { ip: string; now?: Date }): Promise<{ outboxIds: string[] }> {
  const { over } = await countAttempt(db, [{ kind: "reset", value: ctx.ip }]);
  if (over) throw new AppError("rate_limited", "passwordReset.throttled");
  const token = randomBytes(32).toString("base64url");
  const tokenHash = hashToken(token);
  const user = await findUserByEmail(db, email);
  if (!user || !user.active) return { outboxIds: [] };
  const now = ctx.now ?? new Date();
  const link = `${getEnv().APP_URL.replace(/\/$/, "")}/reset-password?token=${token}`;
  return db.transaction(async (tx) => {
    await tx.insert(passwordResets).values({
      merchantId: user.merchantId,
      userId: user.id,
      tokenHash,
      expiresAt: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000),
      ip: ctx.ip.slice(0, 64),
    });
    const id = await queueMessage(tx, {
      merchantId: null,
      channel: "email",
      recipient: user.email,
      subject: "Reset your CardDesk password / Сброс пароля CardDesk",
      body:
        `To set a new password for CardDesk, open this link within ${RESET_LINK_MINUTES} minutes: ${link}\nIt works once. If you did not ask for it, ignore this message: your password stays as it is.\n\n` +
        `Чтобы задать новый пароль в CardDesk, откройте ссылку в течение ${RESET_LINK_MINUTES} минут: ${link}\nОна действует один раз. Если вы не запрашивали сброс, не обращайте внимания на письмо: пароль останется прежним.`,
    });
    return { outboxIds: [id] };
  });
}

/** Whether a link can still be used (for the page to show the form or the "ask again" text). */
export async function isResetTokenUsable(db: Db, token: unknown, now = new Date()): Promise<boolean> {
  if (typeof token !== "string" || token.length === 0 || token.length > 200) return false;
  const [row] = await db
    .select({ id: passwordResets.id })
    .from(passwordResets)
    .where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)));
  return Boolean(row);
}

/**
 * Sets the new password from a link: the link is spent by one conditional update (two tabs racing
 * get one success), every other link of the user is spent too, and every session ends.
 */
export async function resetPassword(db: Db, token: string, newPassword: string, now = new Date()): Promise<{ email: string }> {
  // The link first: a made-up token costs one indexed read, never the password hashing (19 MiB of argon2).
  if (!(await isResetTokenUsable(db, token, now))) throw new AppError("validation", "passwordReset.invalid");
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    const [spent] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
      .returning({ userId: passwordResets.userId, merchantId: passwordResets.merchantId });
    if (!spent) throw new AppError("validation", "passwordReset.invalid");
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, spent.userId), isNull(passwordResets.usedAt)));
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: now, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(and(eq(users.id, spent.userId), eq(users.merchantId, spent.merchantId), eq(users.active, true)))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new AppError("validation", "passwordReset.invalid");
    await endAllStaffSessions(tx, { id: user.id, merchantId: spent.merchantId }, "password_reset");
    await recordAudit(tx, { merchantId: spent.merchantId, userId: user.id }, { action: "user.password_reset", entityType: "user", entityId: user.id });
    return { email: user.email };
  });
}
