import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
// @ts-expect-error -- plain ESM helper shared with the server script
import { dropDatabase } from "../scripts/lib/fresh-db.mjs";

/** Drops the PostgreSQL database scripts/e2e-server.mjs made for this run (PGlite folders are temporary). */
export default async function teardown() {
  const file = path.join(tmpdir(), `carddesk-e2e-db-${process.env.E2E_PORT ?? 3100}.json`);
  if (!existsSync(file)) return;
  const { baseUrl, name } = JSON.parse(readFileSync(file, "utf8")) as { baseUrl: string; name: string };
  // The server may still be stopping: retry briefly while its connections close.
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await dropDatabase(baseUrl, name);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  rmSync(file, { force: true });
}
