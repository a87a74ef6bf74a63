import "server-only";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { logger } from "@/lib/logger";
import { MAX_KDF_ITERATIONS, MAX_TOTAL_KDF_ITERATIONS } from "./kdf-limits";

export type WorkerInput = { kind: "p12"; p12: Buffer; password: string } | { kind: "key"; pem: string; passphrase: string };
export type WorkerResult =
  { ok: true; keyPem: string; certs: string[] } | { ok: false; error: "p12" | "p12Contents" | "key" | "iterations" | "timeout" | "busy" };

/** Long enough for the largest accepted file (about 2.5 s, see kdf-limits) on a busy machine. */
export const WORKER_TIME_LIMIT_MS = 5_000;
/** Uploads parsed at once per process; more are told to try again rather than queued behind them. */
const MAX_PARALLEL = 2;
let running = 0;

// Loaded by path, not imported: the worker is a separate module graph that Next must not bundle. The
// web process, the worker process and the tests all run from the project directory.
const WORKER_FILE = path.join(process.cwd(), "lib/passes/apple/certificate-worker.mjs");

/**
 * Opens a .p12 or an encrypted PEM key in a worker thread, so key derivation never runs on the event
 * loop, and stops the worker after `timeLimitMs` (the request is then refused).
 */
export async function openInWorker(input: WorkerInput, timeLimitMs = WORKER_TIME_LIMIT_MS): Promise<WorkerResult> {
  if (running >= MAX_PARALLEL) return { ok: false, error: "busy" };
  running++;
  try {
    return await new Promise<WorkerResult>((resolve) => {
      const worker = new Worker(WORKER_FILE, {
        workerData: { input, maxIterations: MAX_KDF_ITERATIONS, maxTotal: MAX_TOTAL_KDF_ITERATIONS },
        resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
      });
      let settled = false;
      const finish = (result: WorkerResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        resolve(result);
      };
      const timer = setTimeout(() => finish({ ok: false, error: "timeout" }), timeLimitMs);
      worker.once("message", (result: WorkerResult) => finish(result));
      worker.once("error", (err) => {
        // A file forge chokes on lands here too (out of memory, a stack overflow); a missing worker file would as well.
        logger.warn("certificate worker failed", { error: err instanceof Error ? err.message : String(err) });
        finish({ ok: false, error: input.kind === "key" ? "key" : "p12" });
      });
      worker.once("exit", () => finish({ ok: false, error: input.kind === "key" ? "key" : "p12" }));
    });
  } finally {
    running--;
  }
}
