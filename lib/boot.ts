import "server-only";
import { runMigrations } from "@/db/migrate";
import { getEnv } from "@/lib/env";
import { startWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/logger";

const holder = globalThis as unknown as { __carddeskBoot?: Promise<void> };

/**
 * Web process start: apply migrations, and on the embedded database run the worker in-process. Once
 * per process: scripts/server.ts boots before listening and Next's instrumentation boots again in its
 * own copy of the modules, so both share the first run (kept on globalThis).
 */
export function boot(): Promise<void> {
  holder.__carddeskBoot ??= (async () => {
    const env = getEnv();
    if (env.DEV_OUTBOX) logger.warn("DEV_OUTBOX is set: GET /api/dev/outbox serves one-time codes to whoever holds its token. Test-only: unset it in production.");
    await runMigrations();
    logger.info("database ready", { database: env.DATABASE_URL ? "postgresql" : `pglite:${env.PGLITE_DIR}` });
    if (env.workerInWeb) await startWorker();
  })().catch((err) => {
    holder.__carddeskBoot = undefined;
    throw err;
  });
  return holder.__carddeskBoot;
}
