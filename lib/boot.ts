import "server-only";
import { runMigrations } from "@/db/migrate";
import { getEnv } from "@/lib/env";
import { startWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/logger";

/** Web process start: apply migrations, and on the embedded database run the worker in-process. */
export async function boot(): Promise<void> {
  const env = getEnv();
  await runMigrations();
  logger.info("database ready", { database: env.DATABASE_URL ? "postgresql" : `pglite:${env.PGLITE_DIR}` });
  if (env.workerInWeb) await startWorker();
}
