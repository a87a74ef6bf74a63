import type { TestProject } from "vitest/node";
// @ts-expect-error -- plain ESM helper shared with the Playwright server script
import { createFreshDatabase, dropDatabase } from "../scripts/lib/fresh-db.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string | null;
  }
}

/** PostgreSQL when DATABASE_URL is set (a fresh database per run, dropped afterwards); PGlite in memory otherwise. */
export default async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL;
  if (!base) {
    project.provide("databaseUrl", null);
    return;
  }
  const fresh: { url: string; name: string } = await createFreshDatabase(base, "vitest");
  project.provide("databaseUrl", fresh.url);
  return async () => {
    await dropDatabase(base, fresh.name);
  };
}
