import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import { cookies } from "next/headers";
import type { Db } from "@/db";
import { customerSessions, type CustomerSession } from "@/db/schema";
import { getEnv } from "@/lib/env";

/** A customer's cookie: its own name, so it never mixes with staff sessions (next-auth's cookie). */
export const CUSTOMER_COOKIE = "cd_customer";
export const CUSTOMER_SESSION_HOURS = 12;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Starts a session for a phone whose code was just verified and sets its cookie. `merchantId` must be
 * the code's deliverer (verifyCode's row): a merchant's code yields a session that sees only that
 * merchant; only a platform-delivered code (null) yields the session of /my, which sees every merchant.
 */
export async function startCustomerSession(db: Db, phone: string, merchantId: string | null): Promise<void> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + CUSTOMER_SESSION_HOURS * 3600_000);
  await db.insert(customerSessions).values({ tokenHash: hash(token), phone, merchantId, expiresAt });
  // Old sessions are removed as new ones start, so the table never grows without bound.
  await db.delete(customerSessions).where(lt(customerSessions.expiresAt, new Date()));
  (await cookies()).set(CUSTOMER_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: getEnv().APP_URL.startsWith("https://"),
    path: "/",
    expires: expiresAt,
  });
}

/**
 * The signed-in customer as a page may use it, or null; an expired session counts as none. A page of
 * merchant X (`for: X`) accepts a session proven to X or to the platform; the platform's own pages
 * (`for: null`, /my) accept only a platform session — a merchant-delivered code proves nothing there.
 */
export async function getCustomerSession(db: Db, page: { for: string | null }): Promise<CustomerSession | null> {
  const token = (await cookies()).get(CUSTOMER_COOKIE)?.value;
  if (!token) return null;
  const [row] = await db
    .select()
    .from(customerSessions)
    .where(and(eq(customerSessions.tokenHash, hash(token)), gt(customerSessions.expiresAt, new Date())));
  return row && sessionServes(row, page.for) ? row : null;
}

/** Whether a session may be used on the page of `merchantId` (null: the platform's /my). */
export function sessionServes(session: Pick<CustomerSession, "merchantId">, merchantId: string | null): boolean {
  return session.merchantId === null || session.merchantId === merchantId;
}

export async function endCustomerSession(db: Db): Promise<void> {
  const jar = await cookies();
  const token = jar.get(CUSTOMER_COOKIE)?.value;
  if (token) await db.delete(customerSessions).where(eq(customerSessions.tokenHash, hash(token)));
  jar.delete(CUSTOMER_COOKIE);
}
