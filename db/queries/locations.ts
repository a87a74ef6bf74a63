import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { locations, type Location } from "@/db/schema";

export type LocationValues = Pick<Location, "name" | "address" | "latitude" | "longitude" | "nearbyText">;

function matches(merchantId: string, search?: string) {
  const mine = eq(locations.merchantId, merchantId);
  if (!search) return mine;
  const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return and(mine, or(ilike(locations.name, like), ilike(locations.address, like)));
}

/**
 * A name's natural sort key: every run of digits left-padded to 12, so "Shop 3" comes before "Shop 10"
 * (text order puts 10 and 11 before 3), and case does not split the list. Done in SQL because the list is paginated there; PGlite has
 * no ICU collation with numeric ordering, and a plain expression runs the same on both.
 */
const naturalName = sql`regexp_replace(regexp_replace(lower(${locations.name}), '([0-9]+)', '000000000000\\1', 'g'), '0*([0-9]{12}(?![0-9]))', '\\1', 'g')`;

export async function listLocations(db: Db, merchantId: string, opts: { page: number; pageSize: number; search?: string }) {
  const where = matches(merchantId, opts.search);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(locations)
      .where(where)
      .orderBy(asc(naturalName), asc(locations.name), asc(locations.id))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ total: count() }).from(locations).where(where),
  ]);
  return { rows, total };
}

export async function findLocation(db: Db, merchantId: string, id: string): Promise<Location | undefined> {
  const [row] = await db
    .select()
    .from(locations)
    .where(and(eq(locations.id, id), eq(locations.merchantId, merchantId)));
  return row;
}

export async function insertLocation(db: Db, merchantId: string, values: LocationValues): Promise<Location> {
  const [row] = await db
    .insert(locations)
    .values({ ...values, merchantId })
    .returning();
  return row;
}

export async function updateLocationRow(db: Db, merchantId: string, id: string, values: LocationValues): Promise<Location | undefined> {
  const [row] = await db
    .update(locations)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(locations.id, id), eq(locations.merchantId, merchantId)))
    .returning();
  return row;
}

export async function deleteLocationRow(db: Db, merchantId: string, id: string): Promise<Location | undefined> {
  const [row] = await db
    .delete(locations)
    .where(and(eq(locations.id, id), eq(locations.merchantId, merchantId)))
    .returning();
  return row;
}
