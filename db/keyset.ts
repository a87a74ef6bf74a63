import { and, eq, lt, or, sql, type Column, type SQL } from "drizzle-orm";

/**
 * Newest-first keyset paging by (created-at, id), written once for the API's paged logs (webhook
 * deliveries, form submissions). The time is kept to the microsecond as text: a JS Date would drop them
 * and a page boundary inside one millisecond would skip or repeat rows.
 */
export type TimeKeyset = { createdAt: string; id: string };

/** The row's cursor time, to select beside its columns. */
export const keysetTime = (createdAt: Column) => sql<string>`to_char(${createdAt} at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The rows after a keyset (older ones), or none of the condition when there is no keyset. */
export function olderThan(createdAt: Column, id: Column, after: TimeKeyset | undefined): SQL | undefined {
  if (!after) return undefined;
  const at = sql`${after.createdAt}::timestamptz`;
  return or(lt(createdAt, at), and(eq(createdAt, at), lt(id, after.id)));
}

/** One page from `limit + 1` rows read: the page without the cursor column, and the keyset of the next page or null. */
export function keysetPage<R extends { id: string; cursorAt: string }>(rows: R[], limit: number): { rows: Omit<R, "cursorAt">[]; next: TimeKeyset | null } {
  const last = rows[limit - 1];
  return {
    rows: rows.slice(0, limit).map(({ cursorAt: _c, ...row }) => row),
    next: rows.length > limit && last ? { createdAt: last.cursorAt, id: last.id } : null,
  };
}
