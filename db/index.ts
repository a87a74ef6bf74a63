import "server-only";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { getEnv } from "@/lib/env";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

type Connection = { kind: "postgres"; db: Db; client: postgres.Sql } | { kind: "pglite"; db: Db; client: PGlite };

// Kept on globalThis: Next.js bundles instrumentation and routes separately, and dev reloads modules,
// yet there must be exactly one PGlite per data folder in a process.
const holder = globalThis as unknown as { __carddeskDb?: Connection };

export function getConnection(): Connection {
  if (holder.__carddeskDb) return holder.__carddeskDb;
  const env = getEnv();
  if (env.DATABASE_URL) {
    const client = postgres(env.DATABASE_URL, { max: 10, onnotice: () => {} });
    const db = drizzlePostgres(client, { schema, casing: "snake_case" }) as unknown as Db;
    holder.__carddeskDb = { kind: "postgres", db, client };
  } else {
    const client = new PGlite(env.PGLITE_DIR);
    const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db;
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
