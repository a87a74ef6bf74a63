import "server-only";
import { and, eq } from "drizzle-orm";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import { merchants, staffSessions, staffTotp, users, type Merchant, type StaffRole, type User } from "@/db/schema";
import { LAST_SEEN_EVERY_MS, touchStaffSession } from "@/lib/staff-security/sessions";
import { auth } from "./next-auth";
import { can, type Permission } from "./roles";
import { TWO_FACTOR_SETUP_PATH, mustSetUpTwoFactor } from "./two-factor-gate";

export type StaffContext = {
  userId: string;
  merchantId: string;
  role: StaffRole;
  user: User;
  merchant: Merchant;
  /** The staff_sessions row this browser signed in as (Settings → Sessions marks it "this device"). */
  /** (Optional only so tests may build a context by hand; getStaffContext always sets both.) */
  sessionId?: string;
  /** Two-factor sign-in is on for this user. */
  twoFactor?: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who is asking, re-read from the database on every request: a deactivated user or a changed role
 * takes effect at once, whatever the session cookie still says.
 */
export const getStaffContext = cache(async (): Promise<StaffContext | null> => {
  const session = await auth();
  if (!session?.user?.id || !session.user.merchantId) return null;
  // A cookie from before sessions were rows names none: it is signed out like an ended one.
  const sessionId = session.user.sessionId;
  if (!sessionId || !UUID.test(sessionId)) return null;
  // One read by primary keys: the user, the merchant, this session's row and the user's second factor.
  const [row] = await getDb()
    .select({ user: users, merchant: merchants, seenAt: staffSessions.lastSeenAt, endedAt: staffSessions.endedAt, totpOn: staffTotp.enabledAt })
    .from(users)
    .innerJoin(merchants, eq(merchants.id, users.merchantId))
    .innerJoin(staffSessions, and(eq(staffSessions.id, sessionId), eq(staffSessions.userId, users.id), eq(staffSessions.merchantId, users.merchantId)))
    .leftJoin(staffTotp, and(eq(staffTotp.userId, users.id), eq(staffTotp.merchantId, users.merchantId)))
    .where(and(eq(users.id, session.user.id), eq(users.merchantId, session.user.merchantId)));
  // A password change or deactivation bumps the version and ends every session signed before it;
  // an ended row (Settings → Sessions, the owner, a password reset) ends just that one.
  if (!row || row.endedAt || !row.user.active || row.user.sessionVersion !== (session.user.sessionVersion ?? 0)) return null;
  if (Date.now() - row.seenAt.getTime() > LAST_SEEN_EVERY_MS) await touchStaffSession(getDb(), sessionId);
  return {
    userId: row.user.id,
    merchantId: row.merchant.id,
    role: row.user.role,
    user: row.user,
    merchant: row.merchant,
    sessionId,
    twoFactor: Boolean(row.totpOn),
  };
});

/** For pages: signs the visitor in first; a missing permission looks like a page that does not exist. */
export async function requireStaff(permission?: Permission): Promise<StaffContext> {
  const ctx = await getStaffContext();
  // Set by proxy.ts from the URL itself (a client's own x-pathname is overwritten there).
  const back = (await headers()).get("x-pathname");
  if (!ctx) {
    redirect(back && back.startsWith("/") && back !== "/" ? `/sign-in?next=${encodeURIComponent(back)}` : "/sign-in");
  }
  // The owner requires two-factor sign-in: until it is set up, Settings → Security is the only page.
  if (mustSetUpTwoFactor(ctx) && !back?.startsWith(TWO_FACTOR_SETUP_PATH)) redirect(`${TWO_FACTOR_SETUP_PATH}?required=1`);
  if (permission && !can(ctx.role, permission)) notFound();
  return ctx;
}
