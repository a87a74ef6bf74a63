import "server-only";
import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { getConnection } from "./index";

const MIGRATION_LOCK = 727_001;

/** Applies the committed drizzle migrations; safe to call from several instances starting at once. */
export async function runMigrations(): Promise<void> {
  const conn = getConnection();
  const migrationsFolder = path.join(process.cwd(), "drizzle");
  if (conn.kind === "pglite") {
    await migratePglite(conn.db as never, { migrationsFolder });
    return;
  }
  // One reserved connection holds the advisory lock for the whole run.
  const reserved = await conn.client.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(conn.db as never, { migrationsFolder });
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    reserved.release();
  }
}
