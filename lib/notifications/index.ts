import "server-only";
import { and, count, desc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { merchantNotifications, type MerchantNotification } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

export type NewNotification = { kind: string; level?: MerchantNotification["level"]; params?: Record<string, string | number> };

export async function createNotification(db: Db, merchantId: string, n: NewNotification): Promise<void> {
  await db.insert(merchantNotifications).values({ merchantId, kind: n.kind, level: n.level ?? "info", params: n.params ?? {} });
}

/** `active`: in the bell; `archived`: kept for reference. Closed ones are gone from both. */
export async function listNotifications(db: Db, merchantId: string, box: "active" | "archived", limit = 20) {
  const where = and(
    eq(merchantNotifications.merchantId, merchantId),
    isNull(merchantNotifications.closedAt),
    box === "active" ? isNull(merchantNotifications.archivedAt) : isNotNull(merchantNotifications.archivedAt),
  );
  const [rows, [{ total }]] = await Promise.all([
    db.select().from(merchantNotifications).where(where).orderBy(desc(merchantNotifications.createdAt)).limit(limit),
    db.select({ total: count() }).from(merchantNotifications).where(where),
  ]);
  return { rows, total };
}

async function mark(db: Db, merchantId: string, id: string, set: Partial<Pick<MerchantNotification, "archivedAt" | "closedAt">>) {
  const [row] = await db
    .update(merchantNotifications)
    .set(set)
    .where(and(eq(merchantNotifications.id, id), eq(merchantNotifications.merchantId, merchantId)))
    .returning({ id: merchantNotifications.id });
  if (!row) throw new NotFoundError();
}

export const archiveNotification = (db: Db, merchantId: string, id: string) => mark(db, merchantId, id, { archivedAt: new Date() });
export const closeNotification = (db: Db, merchantId: string, id: string) => mark(db, merchantId, id, { closedAt: new Date() });
