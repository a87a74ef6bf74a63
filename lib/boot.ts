import "server-only";
import { runMigrations } from "@/db/migrate";
import { getEnv } from "@/lib/env";
import { startWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/logger";

/**
 * `idle`: nothing in this process asked for a boot (tests, scripts). `starting`: the first attempt is
 * running. `retrying`: an attempt failed (`reason`), the next one comes after a back-off. `ready`:
 * migrations applied (and, on the embedded database, the worker started).
 */
export type BootState = { phase: "idle" | "starting" | "retrying" | "ready"; attempts: number; reason: string | null };

const holder = globalThis as unknown as { __carddeskBoot?: Promise<void>; __carddeskBootFirst?: Promise<void>; __carddeskBootState?: BootState };

export function bootState(): BootState {
  return holder.__carddeskBootState ?? { phase: "idle", attempts: 0, reason: null };
}

/** True while this process is still booting: everything but /api/health should wait. */
export function bootPending(): boolean {
  const { phase } = bootState();
  return phase === "starting" || phase === "retrying";
}

/** /api/health's answer while booting: 503, with why, so an operator sees the cause from outside. */
export function bootingHealth(): { db: "error"; queue: "error"; reason: string } {
  const { phase, attempts, reason } = bootState();
  return { db: "error", queue: "error", reason: phase === "retrying" ? `not ready after ${attempts} attempt(s): ${reason}` : "starting" };
}

/**
 * Web process start: apply migrations, and on the embedded database run the worker in-process.
 * Retried with back-off until it works, never rejected: a wrong DATABASE_URL or a database that is
 * still starting leaves the server listening and answering 503 with the reason, instead of an exit a
 * load balancer can only see as a refused connection. Once per process: scripts/server.ts and Next's
 * instrumentation (its own copy of the modules) share the one run, kept on globalThis.
 */
export function boot(): Promise<void> {
  if (!holder.__carddeskBoot) {
    if (process.env.DEV_OUTBOX)
      logger.warn("DEV_OUTBOX is set: GET /api/dev/outbox serves one-time codes to whoever holds its token. Test-only: unset it in production.");
    let firstSettled = () => {};
    holder.__carddeskBootFirst = new Promise<void>((resolve) => (firstSettled = resolve));
    holder.__carddeskBoot = retryUntilDone(bootOnce, {
      onState: (state) => {
        holder.__carddeskBootState = state;
        if (state.phase === "ready" || state.phase === "retrying") firstSettled();
      },
    });
  }
  return holder.__carddeskBoot;
}

/**
 * Starts the boot and waits for its first attempt only (`next dev`, `next start`): a healthy start
 * is complete before the first request, a failing one goes on retrying behind a 503 health check.
 */
export async function bootFirstAttempt(): Promise<void> {
  void boot();
  await holder.__carddeskBootFirst;
}

async function bootOnce(): Promise<void> {
  const env = getEnv();
  await runMigrations();
  logger.info("database ready", { database: env.DATABASE_URL ? "postgresql" : `pglite:${env.PGLITE_DIR}` });
  if (env.workerInWeb) await startWorker();
}

export const BOOT_BACKOFF = { firstMs: 1000, maxMs: 30_000 };

/** 1 s, 2 s, 4 s … doubling up to 30 s between attempts. */
export function backoffMs(failures: number, backoff = BOOT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, failures - 1));
}

/** An error as one line for logs and /api/health, without a password from a connection string. */
export function describeBootError(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; errors?: unknown[] };
  let text = typeof e?.message === "string" && e.message ? e.message : "";
  // Connecting to a host with several addresses fails with an AggregateError whose message is empty.
  if (!text && Array.isArray(e?.errors) && e.errors.length) text = describeBootError(e.errors[0]);
  if (!text) text = typeof e?.code === "string" ? e.code : String(err);
  if (typeof e?.code === "string" && !text.includes(e.code)) text = `${e.code}: ${text}`;
  return text
    .replace(/(\w+:\/\/)[^@\s/]*@/g, "$1***@")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Runs `step` until it resolves, reporting each state; exported for the tests of its state machine. */
export async function retryUntilDone(
  step: () => Promise<void>,
  opts: { onState: (state: BootState) => void; wait?: (ms: number) => Promise<void>; backoff?: typeof BOOT_BACKOFF },
): Promise<void> {
  const wait = opts.wait ?? sleep;
  let reason: string | null = null;
  for (let attempts = 1; ; attempts++) {
    opts.onState({ phase: attempts === 1 ? "starting" : "retrying", attempts: attempts - 1, reason });
    try {
      await step();
      opts.onState({ phase: "ready", attempts, reason: null });
      return;
    } catch (err) {
      reason = describeBootError(err);
      const delay = backoffMs(attempts, opts.backoff);
      opts.onState({ phase: "retrying", attempts, reason });
      logger.error("start-up failed; retrying", { attempt: attempts, retryInMs: delay, reason });
      await wait(delay);
    }
  }
}
