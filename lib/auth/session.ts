import "server-only";
import { and, eq } from "drizzle-orm";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import { merchants, users, type Merchant, type StaffRole, type User } from "@/db/schema";
import { auth } from "./next-auth";
import { can, type Permission } from "./roles";

export type StaffContext = { userId: string; merchantId: string; role: StaffRole; user: User; merchant: Merchant };

/**
 * Who is asking, re-read from the database on every request: a deactivated user or a changed role
 * takes effect at once, whatever the session cookie still says.
 */
export const getStaffContext = cache(async (): Promise<StaffContext | null> => {
  const session = await auth();
  if (!session?.user?.id || !session.user.merchantId) return null;
  const [row] = await getDb()
    .select({ user: users, merchant: merchants })
    .from(users)
    .innerJoin(merchants, eq(merchants.id, users.merchantId))
    .where(and(eq(users.id, session.user.id), eq(users.merchantId, session.user.merchantId)));
  // A password change or deactivation bumps the version and ends every session signed before it.
  if (!row || !row.user.active || row.user.sessionVersion !== (session.user.sessionVersion ?? 0)) return null;
  return { userId: row.user.id, merchantId: row.merchant.id, role: row.user.role, user: row.user, merchant: row.merchant };
});

/** For pages: signs the visitor in first; a missing permission looks like a page that does not exist. */
export async function requireStaff(permission?: Permission): Promise<StaffContext> {
  const ctx = await getStaffContext();
  if (!ctx) {
    const back = (await headers()).get("x-pathname");
    redirect(back && back.startsWith("/") && back !== "/" ? `/sign-in?next=${encodeURIComponent(back)}` : "/sign-in");
  }
  if (permission && !can(ctx.role, permission)) notFound();
  return ctx;
}
