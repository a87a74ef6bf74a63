import "server-only";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { PostgresJsSession } from "drizzle-orm/postgres-js/session";
import postgres from "postgres";
import { getEnv } from "@/lib/env";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

// Every statement as a prepared statement (postgres.js's own default, which drizzle turns off for
// queries it was not told a name for): PostgreSQL parses and plans each distinct statement once per
// connection instead of on every call, and only the parameters travel after the first. The cache lives
// as long as the connection (postgres.js recycles connections every 30–60 minutes). A pooler in front
// of PostgreSQL must then keep prepared statements per connection (PgBouncer ≥ 1.21 with
// max_prepared_statements, or session pooling). See bench/pos.
type PrepareQuery = (this: unknown, query: unknown, fields: unknown, name: string | undefined, ...rest: unknown[]) => unknown;
const sessionPrototype = PostgresJsSession.prototype as unknown as { prepareQuery: PrepareQuery; __carddeskPrepared?: true };
if (!sessionPrototype.__carddeskPrepared) {
  const prepareQuery = sessionPrototype.prepareQuery;
  sessionPrototype.prepareQuery = function (query, fields, name, ...rest) {
    return prepareQuery.call(this, query, fields, name ?? "", ...rest);
  };
  sessionPrototype.__carddeskPrepared = true;
}

type Connection = { kind: "postgres"; db: Db; client: postgres.Sql } | { kind: "pglite"; db: Db; client: PGlite };

// No `schema` for drizzle: it is only for the relational API (`db.query.…`), which nothing here uses,
// and with it drizzle builds a query builder per table for every transaction it opens (a till's
// purchase paid for some 70 of them; bench/pos). Queries name their tables, so nothing else changes.
const options = { casing: "snake_case" } as const;

// Kept on globalThis: Next.js bundles instrumentation and routes separately, and dev reloads modules,
// yet there must be exactly one PGlite per data folder in a process.
const holder = globalThis as unknown as { __carddeskDb?: Connection };

export function getConnection(): Connection {
  if (holder.__carddeskDb) return holder.__carddeskDb;
  const env = getEnv();
  if (env.DATABASE_URL) {
    const client = postgres(env.DATABASE_URL, { max: 10, onnotice: () => {} });
    const db = drizzlePostgres(client, options) as unknown as Db;
    holder.__carddeskDb = { kind: "postgres", db, client };
  } else {
    const client = new PGlite(env.PGLITE_DIR);
    const db = drizzlePglite(client, options) as unknown as Db;
    holder.__carddeskDb = { kind: "pglite", db, client };
  }
  return holder.__carddeskDb;
}

export function getDb(): Db {
  return getConnection().db;
}

export async function closeDb(): Promise<void> {
  const conn = holder.__carddeskDb;
  holder.__carddeskDb = undefined;
  if (!conn) return;
  if (conn.kind === "postgres") await conn.client.end({ timeout: 5 });
  else await conn.client.close();
}

export { schema };
