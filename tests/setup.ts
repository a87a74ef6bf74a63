import { afterAll, beforeAll, inject } from "vitest";
// @ts-expect-error -- plain ESM helper shared with the Playwright server script
import { createDatabaseFrom, dropDatabase } from "../scripts/lib/fresh-db.mjs";

// Each test file has a database of its own: a copy of the run's migrated template on PostgreSQL
// (tests/global-setup.ts), an in-memory PGlite otherwise. So files in parallel never meet each
// other's rows, limits or queued jobs.
const template = inject("databaseUrl");
const maintenance = inject("maintenanceUrl");
const own: { url: string; name: string } | null = template && maintenance ? await createDatabaseFrom(template, maintenance) : null;
if (own) process.env.DATABASE_URL = own.url;
else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DIR = "memory://";
}
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";
process.env.LOG_LEVEL ??= "warn";

beforeAll(async () => {
  const { runMigrations } = await import("@/db/migrate");
  await runMigrations();
});

afterAll(async () => {
  const { stopBoss } = await import("@/lib/jobs/boss");
  const { closeDb } = await import("@/db");
  await stopBoss();
  await closeDb();
  if (own && maintenance) await dropDatabase(maintenance, own.name).catch(() => {});
});
