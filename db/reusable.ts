import "server-only";
import type { SQL } from "drizzle-orm";
import type { Db } from "./index";

/**
 * Drizzle builds a query's SQL text anew each time it runs: walking the builder, quoting every column,
 * checking every chunk's class. On the till's hot calls that was a third of the server's CPU (bench/pos).
 * A reusable query is built once, with `sql.placeholder(…)` for everything that varies, and its text,
 * parameters and result mapping are then run on whatever session it is given: the pool, or a
 * transaction (a drizzle prepared query is tied to the session it was made on, so it cannot be).
 *
 * This leans on drizzle's session contract (`session.prepareQuery(query, fields, name, arrayMode)`, the
 * same call its builders make), which the postgres.js and PGlite drivers share; the tests run the queries
 * that use it on both, and tests/integration/db-reusable.test.ts checks the answers against the builders'.
 * Everything that varies must be a placeholder: a value written into the builder is kept for every call.
 */
type Shape = { queryString: string; params: unknown[]; fields?: unknown; joinsNotNullableMap?: unknown };
type Session = {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: unknown,
    name: string | undefined,
    isResponseInArrayMode: boolean,
  ): { joinsNotNullableMap?: unknown; execute(values?: Record<string, unknown>): Promise<unknown> };
};
type Preparable<R> = { prepare(name: string): { execute(values?: Record<string, unknown>): Promise<R> } };

export function reusable<R, V extends Record<string, unknown> = Record<string, unknown>>(build: (db: Db) => Preparable<R>): (db: Db, values: V) => Promise<R> {
  let shape: Shape | undefined;
  return (db, values) => {
    shape ??= build(db).prepare("") as unknown as Shape;
    const session = (db as unknown as { session: Session }).session;
    const query = session.prepareQuery({ sql: shape.queryString, params: shape.params }, shape.fields, undefined, true);
    query.joinsNotNullableMap = shape.joinsNotNullableMap;
    return query.execute(values) as Promise<R>;
  };
}

/**
 * The same for a raw statement: `sql` with `sql.placeholder(…)` for what varies, built once. Answers
 * what the driver answers (read it with `rowsOf`), as `db.execute` does.
 */
export function reusableSql<V extends Record<string, unknown> = Record<string, unknown>>(statement: SQL): (db: Db, values: V) => Promise<unknown> {
  let query: { sql: string; params: unknown[] } | undefined;
  return (db, values) => {
    query ??= (db as unknown as { dialect: { sqlToQuery(s: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(statement);
    const session = (db as unknown as { session: Session }).session;
    return session.prepareQuery(query, undefined, undefined, false).execute(values);
  };
}
