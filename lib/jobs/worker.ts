import "server-only";
import { logger } from "@/lib/logger";
import { getBoss } from "./boss";
import { HANDLERS } from "./handlers";
import { SCHEDULES, type QueueName } from "./queues";

const holder = globalThis as unknown as { __carddeskWorker?: boolean };

/** Registers every handler on this process's pg-boss instance; idempotent. */
export async function startWorker(): Promise<void> {
  if (holder.__carddeskWorker) return;
  holder.__carddeskWorker = true;
  const boss = await getBoss({ forWorker: true });
  for (const [queue, handler] of Object.entries(HANDLERS) as [QueueName, (typeof HANDLERS)[QueueName]][]) {
    await boss.work(queue, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) await handler(job as never);
    });
  }
  for (const { queue, cron } of SCHEDULES) await boss.schedule(queue, cron);
  logger.info("worker started", { queues: Object.keys(HANDLERS) });
}
