import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { getBoss, stopBoss } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";

const notifyOf = async () =>
  new Map(rowsOf<{ name: string; notify: boolean }>(await getDb().execute(sql`select name, notify from pgboss.queue`)).map((q) => [q.name, q.notify]));

afterAll(async () => {
  await stopBoss();
});

describe("queues that wake their workers at once", () => {
  it("the queues a person waits on are notified, the housekeeping ones are polled; an older database's queue gets it on start", async () => {
    await getBoss();
    let notify = await notifyOf();
    for (const queue of [QUEUES.outboxSend, QUEUES.walletDrain, QUEUES.webhookDeliver, QUEUES.pushEventRun, QUEUES.tillPin])
      expect(notify.get(queue), queue).toBe(true);
    for (const queue of [QUEUES.reportsFold, QUEUES.outboxSweep, QUEUES.pointsExpiry]) expect(notify.get(queue), queue).toBe(false);

    // A database whose queue was made before it was notified.
    await getDb().execute(sql`update pgboss.queue set notify = false where name = ${QUEUES.walletDrain}`);
    await stopBoss();
    await getBoss();
    notify = await notifyOf();
    expect(notify.get(QUEUES.walletDrain)).toBe(true);
  });
});
