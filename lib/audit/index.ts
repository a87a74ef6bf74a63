import "server-only";
import { and, count, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { auditLog, users } from "@/db/schema";

export type AuditActor = { merchantId: string; userId: string | null };

export type AuditChange = {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

const SECRET_FIELDS = new Set(["passwordHash", "keyHash", "data"]);

/** Strips secrets and binary blobs so the log can be shown to staff. */
function redact(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value) || value instanceof Date) return value ?? null;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET_FIELDS.has(k)));
}

/** Call inside the same transaction as the change it records. */
export async function recordAudit(db: Db, actor: AuditActor, change: AuditChange): Promise<void> {
  await db.insert(auditLog).values({
    merchantId: actor.merchantId,
    userId: actor.userId,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId ?? null,
    before: redact(change.before) ?? null,
    after: redact(change.after) ?? null,
  });
}

export async function listAudit(db: Db, merchantId: string, opts: { page: number; pageSize: number }) {
  const where = eq(auditLog.merchantId, merchantId);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ entry: auditLog, userName: users.name, userEmail: users.email })
      .from(auditLog)
      .leftJoin(users, and(eq(users.id, auditLog.userId), eq(users.merchantId, merchantId)))
      .where(where)
      .orderBy(desc(auditLog.createdAt))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ total: count() }).from(auditLog).where(where),
  ]);
  return { rows, total };
}
