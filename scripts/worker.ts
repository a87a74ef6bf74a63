import { closeDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { getEnv } from "@/lib/env";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/logger";

if (!getEnv().DATABASE_URL) {
  console.error("npm run worker needs DATABASE_URL. On the embedded database the worker already runs inside the web process.");
  process.exit(1);
}

await runMigrations();
await startWorker();

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info("worker stopping", { signal });
    await stopBoss();
    await closeDb();
    process.exit(0);
  });
}
