// BENCH_PG_STATEMENTS=1: what each statement cost during a bench, from pg_stat_statements (PostgreSQL
// must preload it, with pg_stat_statements.track_planning on for planning times). Shared by the benches.
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";

export const pgStatementsWanted = process.env.BENCH_PG_STATEMENTS === "1";

/** The view in this database (the bench's own, fresh). */
export async function enablePgStatements(db: Db): Promise<void> {
  if (pgStatementsWanted) await db.execute(sql`create extension if not exists pg_stat_statements`);
}

/** Starts counting afresh (and the WAL figures with it). */
export async function resetPgStatements(db: Db): Promise<void> {
  if (pgStatementsWanted) await db.execute(sql`select pg_stat_statements_reset(), pg_stat_reset_shared('wal')`);
}

export type PgStatement = { query: string; calls: number; planMs: number; execMs: number; buffers: number; walBytes: number };

/** The database's costliest statements since the reset, by planning plus execution time. */
export async function topPgStatements(db: Db, dbName: string, limit: number, width: number): Promise<PgStatement[]> {
  const rows = rowsOf<{ query: string; calls: string; plan: number; exec: number; blks: string; wal: string }>(
    await db.execute(sql`
      select left(regexp_replace(s.query, '[[:space:]]+', ' ', 'g'), ${width}) as query, s.calls, s.total_plan_time as plan, s.total_exec_time as exec,
        s.shared_blks_hit + s.shared_blks_read + s.shared_blks_dirtied as blks, s.wal_bytes as wal
      from pg_stat_statements s join pg_database d on d.oid = s.dbid
      where d.datname = ${dbName} order by s.total_plan_time + s.total_exec_time desc limit ${limit}`),
  );
  return rows.map((r) => ({
    query: r.query,
    calls: Number(r.calls),
    planMs: Number(r.plan),
    execMs: Number(r.exec),
    buffers: Number(r.blks),
    walBytes: Number(r.wal),
  }));
}
