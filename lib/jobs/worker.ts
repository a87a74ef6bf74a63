import "server-only";
import { logger } from "@/lib/logger";
import { getBoss } from "./boss";
import { HANDLERS } from "./handlers";
import { SCHEDULES, type QueueName } from "./queues";

const holder = globalThis as unknown as { __carddeskWorker?: boolean };

/**
 * Registers the handlers on this process's pg-boss instance; idempotent. `only` limits it to some
 * queues (a test of one queue must not run other tests' jobs from the same database).
 */
export async function startWorker(options: { only?: QueueName[] } = {}): Promise<void> {
  if (holder.__carddeskWorker) return;
  holder.__carddeskWorker = true;
  const boss = await getBoss({ forWorker: true });
  for (const [queue, handler] of Object.entries(HANDLERS) as [QueueName, (typeof HANDLERS)[QueueName]][]) {
    if (options.only && !options.only.includes(queue)) continue;
    // Batches are fetched together but settled one by one, so one failing job retries alone.
    // Polling every second whether or not NOTIFY is up (pg-boss would relax it to 30 s): a delayed job is due at its time, not a poll later.
    await boss.work(queue, { pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1, batchSize: 10, perJobResults: true }, async (jobs) => {
      const outcomes = await Promise.allSettled(jobs.map((job) => handler(job as never)));
      return jobs.map((job, i) => {
        const outcome = outcomes[i];
        if (outcome.status === "fulfilled") return { id: job.id, status: "completed" as const };
        logger.warn("job failed", { queue, id: job.id, error: String(outcome.reason) });
        return { id: job.id, status: "failed" as const, output: { message: String(outcome.reason) } };
      });
    });
  }
  for (const { queue, cron } of SCHEDULES) if (!options.only || options.only.includes(queue)) await boss.schedule(queue, cron);
  logger.info("worker started", { queues: Object.keys(HANDLERS) });
}
