import { spawn, type ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { expect, vi } from "vitest";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";

const children: ChildProcess[] = [];

/** A worker for `queues` in a process of its own, against the test database (tests/support/worker-process.ts); resolves once it works. */
export async function startWorkerProcess(queues: string[]): Promise<ChildProcess> {
  // Node itself with tsx's loader (not the tsx wrapper, which would leave its own child running when killed).
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/worker-process.ts", ...queues], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: "error" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`worker process exited with ${code}`)));
  });
  return child;
}

/** Kills every worker process a test started and left running (an afterEach). */
export function killWorkerProcesses(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
}

/**
 * Kills a worker process in the middle of a batch: once `committed()` shows a first batch done, holds
 * `table` so the worker's next batch blocks on its first insert there, with some of that batch
 * already written but not committed; then SIGKILL, then lets go.
 */
export async function killMidBatch(
  child: ChildProcess,
  committed: () => Promise<boolean>,
  table: "card_events" | "outbox_messages",
  timeouts: { committed: number; blocked: number } = { committed: 60_000, blocked: 20_000 },
): Promise<void> {
  await vi.waitFor(async () => expect(await committed()).toBe(true), { timeout: timeouts.committed, interval: 25 });
  await getDb().transaction(async (tx) => {
    await tx.execute(sql`lock table ${sql.identifier(table)} in exclusive mode`);
    await vi.waitFor(
      async () => {
        const waiting = await getDb().execute(
          sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and query ilike ${`%insert into "${table}"%`}`,
        );
        // One insert waits (a push run telling several batches at once may have more than one).
        expect(rowsOf(waiting).length).toBeGreaterThanOrEqual(1);
      },
      { timeout: timeouts.blocked, interval: 25 },
    );
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
  });
}
