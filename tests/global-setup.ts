import { spawnSync } from "node:child_process";
import type { TestProject } from "vitest/node";
// @ts-expect-error -- plain ESM helper shared with the Playwright server script
import { createFreshDatabase, dropDatabase, dropDatabasesLike } from "../scripts/lib/fresh-db.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string | null;
    /** The database DATABASE_URL named: where test databases are created and dropped from. */
    maintenanceUrl: string | null;
  }
}

/**
 * PostgreSQL when DATABASE_URL is set: a fresh database is migrated once and serves as the template
 * from which every test file gets its own database (tests/setup.ts), so files running in parallel
 * never see each other's rows or jobs; all are dropped afterwards. PGlite in memory otherwise (each
 * file has its own already).
 */
export default async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL;
  if (!base) {
    project.provide("databaseUrl", null);
    project.provide("maintenanceUrl", null);
    return;
  }
  const template: { url: string; name: string } = await createFreshDatabase(base, "vitest");
  const migrated = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/migrate.ts"], {
    env: { ...process.env, DATABASE_URL: template.url, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  if (migrated.status !== 0) throw new Error(`migrating the test template database failed:\n${migrated.stdout}\n${migrated.stderr}`);
  project.provide("databaseUrl", template.url);
  project.provide("maintenanceUrl", base);
  return async () => {
    await dropDatabasesLike(base, `${template.name.slice(0, 50)}_f%`);
    await dropDatabase(base, template.name);
  };
}
