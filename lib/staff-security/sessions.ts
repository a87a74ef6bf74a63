import "server-only";
import { and, desc, eq, gte, isNull, lt, ne } from "drizzle-orm";
import type { Db } from "@/db";
import { signInAttempts, staffSessions, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { NotFoundError } from "@/lib/errors";
import { deviceFromUserAgent } from "./device";

type Actor = { merchantId: string; userId: string };
type UserRef = { id: string; merchantId: string };
export type Client = { ip: string; userAgent: string | null };

/** Last seen is written at most this often per session, so checking a session stays one read. */
export const LAST_SEEN_EVERY_MS = 60_000;
export const HISTORY_LIMIT = 50;

export async function createStaffSession(db: Db, user: UserRef, client: Client): Promise<string> {
  const userAgent = (client.userAgent ?? "").slice(0, 512);
  const [row] = await db
    .insert(staffSessions)
    .values({ merchantId: user.merchantId, userId: user.id, ip: client.ip.slice(0, 64), userAgent, device: deviceFromUserAgent(userAgent) })
    .returning({ id: staffSessions.id });
  return row.id;
}

/** Called by the session check when the row's last-seen is older than a minute. */
export async function touchStaffSession(db: Db, id: string, now = new Date()): Promise<void> {
  await db
    .update(staffSessions)
    .set({ lastSeenAt: now })
    .where(and(eq(staffSessions.id, id), lt(staffSessions.lastSeenAt, new Date(now.getTime() - LAST_SEEN_EVERY_MS))));
}

export async function listStaffSessions(db: Db, actor: Actor) {
  return db
    .select()
    .from(staffSessions)
    .where(and(eq(staffSessions.userId, actor.userId), eq(staffSessions.merchantId, actor.merchantId), isNull(staffSessions.endedAt)))
    .orderBy(desc(staffSessions.lastSeenAt))
    .limit(100);
}

/** Ends one of the actor's own sessions (another merchant's or colleague's id matches nothing). */
export async function endStaffSession(db: Db, actor: Actor, sessionId: string): Promise<void> {
  const ended = await db
    .update(staffSessions)
    .set({ endedAt: new Date(), endedReason: "ended_by_self" })
    .where(
      and(
        eq(staffSessions.id, sessionId),
        eq(staffSessions.userId, actor.userId),
        eq(staffSessions.merchantId, actor.merchantId),
        isNull(staffSessions.endedAt),
      ),
    )
    .returning({ id: staffSessions.id });
  if (ended.length === 0) throw new NotFoundError();
  await recordAudit(db, actor, { action: "user.session.end", entityType: "session", entityId: sessionId });
}

export async function endOtherStaffSessions(db: Db, actor: Actor, currentSessionId: string): Promise<number> {
  const ended = await db
    .update(staffSessions)
    .set({ endedAt: new Date(), endedReason: "ended_by_self" })
    .where(
      and(
        eq(staffSessions.userId, actor.userId),
        eq(staffSessions.merchantId, actor.merchantId),
        ne(staffSessions.id, currentSessionId),
        isNull(staffSessions.endedAt),
      ),
    )
    .returning({ id: staffSessions.id });
  await recordAudit(db, actor, { action: "user.session.end_others", entityType: "user", entityId: actor.userId, after: { ended: ended.length } });
  return ended.length;
}

/** Ends every session of a user (a password reset, an owner's "sign out everywhere"). */
export async function endAllStaffSessions(db: Db, user: UserRef, reason: string): Promise<number> {
  const ended = await db
    .update(staffSessions)
    .set({ endedAt: new Date(), endedReason: reason })
    .where(and(eq(staffSessions.userId, user.id), eq(staffSessions.merchantId, user.merchantId), isNull(staffSessions.endedAt)))
    .returning({ id: staffSessions.id });
  return ended.length;
}

/** An owner signs a staff member out everywhere (a lost phone, someone leaving). */
export async function endMemberSessions(db: Db, actor: Actor, memberId: string): Promise<number> {
  const [member] = await db
    .select({ id: users.id, merchantId: users.merchantId })
    .from(users)
    .where(and(eq(users.id, memberId), eq(users.merchantId, actor.merchantId)));
  if (!member) throw new NotFoundError();
  return db.transaction(async (tx) => {
    const n = await endAllStaffSessions(tx, member, "ended_by_owner");
    await recordAudit(tx, actor, { action: "staff.sessions.end", entityType: "user", entityId: memberId, after: { ended: n } });
    return n;
  });
}

export async function signOutStaffSession(db: Db, sessionId: string): Promise<void> {
  await db
    .update(staffSessions)
    .set({ endedAt: new Date(), endedReason: "signed_out" })
    .where(and(eq(staffSessions.id, sessionId), isNull(staffSessions.endedAt)));
}

export type AttemptOutcome = "success" | "bad_password" | "bad_code" | "throttled" | "inactive" | "code_required";
export type AttemptMethod = "password" | "totp" | "recovery_code";

export async function recordSignInAttempt(db: Db, user: UserRef, attempt: { outcome: AttemptOutcome; method: AttemptMethod } & Client): Promise<void> {
  await db.insert(signInAttempts).values({
    merchantId: user.merchantId,
    userId: user.id,
    outcome: attempt.outcome,
    method: attempt.method,
    ip: attempt.ip.slice(0, 64),
    device: deviceFromUserAgent(attempt.userAgent),
  });
}

/** The actor's own sign-in history (the last 90 days, newest first). */
export async function listSignInHistory(db: Db, actor: Actor, now = new Date()) {
  return db
    .select()
    .from(signInAttempts)
    .where(
      and(
        eq(signInAttempts.userId, actor.userId),
        eq(signInAttempts.merchantId, actor.merchantId),
        gte(signInAttempts.createdAt, new Date(now.getTime() - 90 * 86_400_000)),
      ),
    )
    .orderBy(desc(signInAttempts.createdAt))
    .limit(HISTORY_LIMIT);
}
