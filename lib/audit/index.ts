import "server-only";
import { and, count, desc, eq, like, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { auditLog, merchants, users } from "@/db/schema";
import type { AuditFilters } from "@/lib/validations/audit";

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

/** The filters as one WHERE, always inside the merchant; days are the merchant's own calendar days. */
function auditWhere(merchantId: string, f: AuditFilters, timeZone: string): SQL {
  const parts: (SQL | undefined)[] = [eq(auditLog.merchantId, merchantId)];
  if (f.user) parts.push(eq(auditLog.userId, f.user));
  if (f.action) parts.push(or(eq(auditLog.action, f.action), like(auditLog.action, `${f.action.replace(/[%_\\]/g, "\\$&")}.%`)));
  if (f.from) parts.push(sql`${auditLog.createdAt} >= (${f.from}::date)::timestamp at time zone ${timeZone}`);
  if (f.to) parts.push(sql`${auditLog.createdAt} < ((${f.to}::date) + 1)::timestamp at time zone ${timeZone}`);
  return and(...parts)!;
}

async function merchantTimeZone(db: Db, merchantId: string): Promise<string> {
  const [m] = await db.select({ tz: merchants.timeZone }).from(merchants).where(eq(merchants.id, merchantId));
  return m?.tz ?? "UTC";
}

export async function listAudit(db: Db, merchantId: string, opts: { page: number; pageSize: number; filters?: AuditFilters }) {
  const where = auditWhere(merchantId, opts.filters ?? {}, await merchantTimeZone(db, merchantId));
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

/** The most rows one CSV export carries; narrower filters get the rest. */
export const AUDIT_EXPORT_LIMIT = 10_000;

/** The filtered log as a table for CSV (lib/reports/tables toCsv makes it spreadsheet-safe). */
export async function auditTable(db: Db, merchantId: string, filters: AuditFilters) {
  const { rows } = await listAudit(db, merchantId, { page: 1, pageSize: AUDIT_EXPORT_LIMIT, filters });
  return {
    columns: ["time", "user", "email", "action", "entityType", "entityId"],
    rows: rows.map(({ entry, userName, userEmail }) => [entry.createdAt.toISOString(), userName, userEmail, entry.action, entry.entityType, entry.entityId]),
  };
}

/** The actions that occur in the merchant's log, for the "what" filter (first parts: `staff`, `card`, …). */
export async function auditActionGroups(db: Db, merchantId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ group: sql<string>`split_part(${auditLog.action}, '.', 1)` })
    .from(auditLog)
    .where(eq(auditLog.merchantId, merchantId))
    .limit(100);
  return rows.map((r) => r.group).sort();
}
