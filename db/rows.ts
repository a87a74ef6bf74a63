import { getTableColumns, type Column, type InferSelectModel, type Table } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";

/** postgres.js returns rows as the result itself, PGlite under `.rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** A JSON column of rows (`json_agg`) as the drivers give it: parsed (postgres.js) or as text (PGlite). */
export function jsonRows<T = Record<string, unknown>>(value: unknown): T[] {
  const parsed = typeof value === "string" ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed : [];
}

/**
 * Values as one PostgreSQL array literal (`{"a","b"}`), to pass as a single parameter and cast
 * (`= any(${pgArray(ids)}::uuid[])`): one parameter for a batch of any size, and unlike a JSON set the
 * planner sees how many values there are, so it looks them up by index. A null is NULL.
 */
export function pgArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${v.replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
}

/**
 * A row from a raw statement (`returning *`) as drizzle's own select would give it: camelCase keys and
 * each value through its column's decoder (dates, bigints, jsonb), whichever driver read it.
 */
const columnsByTable = new WeakMap<Table, [key: string, sqlName: string, column: Column][]>();

export function mapRow<T extends Table>(table: T, raw: Record<string, unknown>): InferSelectModel<T> {
  let columns = columnsByTable.get(table);
  if (!columns) {
    // Columns named after their key get their SQL name from the database's snake_case casing.
    columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.keyAsName ? toSnakeCase(key) : column.name, column]);
    columnsByTable.set(table, columns);
  }
  const out: Record<string, unknown> = {};
  for (const [key, name, column] of columns) {
    const value = raw[name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as InferSelectModel<T>;
}
