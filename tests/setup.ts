import { afterAll, beforeAll, inject } from "vitest";

const url = inject("databaseUrl");
if (url) process.env.DATABASE_URL = url;
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
});
