import "server-only";
import { PgBoss, fromPglite } from "pg-boss";
import { getConnection } from "@/db";
import { getEnv } from "@/lib/env";
import { errorFields, logger } from "@/lib/logger";
import { QUEUE_OPTIONS, type QueueName } from "./queues";

export const SUPERVISE_SECONDS = 15;

const holder = globalThis as unknown as { __carddeskBoss?: Promise<PgBoss>; __carddeskBossForWorker?: boolean };

/**
 * The process's pg-boss instance, started and with every queue created. `forWorker` turns on
 * supervision and cron, which only processes that run handlers need; asking for it after a plain
 * instance was made replaces that instance, so the worker never runs without its schedules.
 */
export async function getBoss(options: { forWorker?: boolean } = {}): Promise<PgBoss> {
  if (options.forWorker && holder.__carddeskBoss && !holder.__carddeskBossForWorker) await stopBoss();
  if (!holder.__carddeskBoss) {
    holder.__carddeskBossForWorker = options.forWorker ?? false;
    holder.__carddeskBoss = createBoss(holder.__carddeskBossForWorker).catch((err) => {
      holder.__carddeskBoss = undefined;
      throw err;
    });
  }
  return holder.__carddeskBoss;
}

async function createBoss(forWorker: boolean): Promise<PgBoss> {
  const conn = getConnection();
  // Supervision every 15 s (pg-boss's default is 60): it is what fails the job of a worker that died,
  // by its stale heartbeat, so a crashed batch is retried elsewhere well within a minute.
  const common = {
    supervise: forWorker,
    schedule: forWorker,
    persistWarnings: false,
    persistQueueStats: false,
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
    // A worker listens for the notified queues' new jobs (queues.ts: NOTIFIED) on one connection of its own.
    useListenNotify: forWorker,
  };
  const boss =
    conn.kind === "pglite"
      ? new PgBoss({ ...common, db: fromPglite(conn.client), backend: "pglite" })
      : new PgBoss({ ...common, connectionString: getEnv().DATABASE_URL, max: 4, application_name: "carddesk-boss" });
  boss.on("error", (err) => logger.error("pg-boss error", errorFields(err)));
  await boss.start();
  for (const [name, options] of Object.entries(QUEUE_OPTIONS)) {
    await boss.createQueue(name, options);
  }
  // createQueue leaves an existing queue as it was: a database from before a queue was notified gets it now.
  for (const queue of await boss.getQueues(Object.keys(QUEUE_OPTIONS))) {
    const notify = QUEUE_OPTIONS[queue.name as QueueName]?.notify;
    if (notify !== undefined && Boolean(queue.notify) !== notify) await boss.updateQueue(queue.name, { notify });
  }
  return boss;
}

export async function enqueue(queue: QueueName, data: object, options: { singletonKey?: string; startAfter?: number } = {}) {
  const boss = await getBoss();
  return boss.send(queue, data, options);
}

/** Many jobs of one queue in one statement (a phone list's batch of SMS): the queue's own retry policy applies. */
export async function enqueueMany(queue: QueueName, datas: object[]): Promise<void> {
  if (!datas.length) return;
  const boss = await getBoss();
  await boss.insert(
    queue,
    datas.map((data) => ({ data })),
  );
}

export async function stopBoss(): Promise<void> {
  const pending = holder.__carddeskBoss;
  holder.__carddeskBoss = undefined;
  if (pending) await (await pending).stop({ graceful: true, timeout: 5000 });
}
