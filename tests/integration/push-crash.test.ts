import { and, count, countDistinct, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { customers, outboxMessages, pushEvents } from "@/db/schema";
import { staffActor } from "@/lib/cards/actor";
import { QUEUES } from "@/lib/jobs/queues";
import { createPushEvent } from "@/lib/push-events";
import { PUSH_BATCH } from "@/lib/push-events/run";
import { pushEventInputSchema } from "@/lib/validations/push-events";
import { killMidBatch, killWorkerProcesses, startWorkerProcess } from "../support/spawn-worker";
import { createManyTestCards, createTestMerchant } from "../factories";

const CARDS = 1200;
afterEach(killWorkerProcesses);

// Needs a PostgreSQL server that outlives the killed process (PGlite runs in one process).
describe.skipIf(!process.env.DATABASE_URL)("a push event survives a worker killed mid-batch", () => {
  it("SMS news to 1,200 consenting customers: the cut batch rolls back, a fresh worker resumes within a minute, each customer gets exactly one SMS", async () => {
    const m = await createTestMerchant();
    const template = await createManyTestCards(m, CARDS);
    await getDb()
      .update(customers)
      .set({ marketingConsent: true, marketingConsentText: "news by SMS", marketingConsentAt: new Date() })
      .where(eq(customers.merchantId, m.merchant.id));

    const child = await startWorkerProcess([QUEUES.pushEventRun]);
    const event = await createPushEvent(
      getDb(),
      { merchantId: m.merchant.id, actor: staffActor(m.owner.id) },
      pushEventInputSchema.parse({ type: "sms", message: "Sale on Sunday", audience: { templateIds: [template.id] } }),
    );
    const row = async () => (await getDb().select().from(pushEvents).where(eq(pushEvents.id, event.id)))[0];
    const smsOf = () =>
      getDb()
        .select({ n: count(), phones: countDistinct(outboxMessages.recipient) })
        .from(outboxMessages)
        .where(and(eq(outboxMessages.merchantId, m.merchant.id), sql`${outboxMessages.body} like 'Sale on Sunday%'`));

    await killMidBatch(child, async () => (await row()).processed >= PUSH_BATCH, "outbox_messages");
    const killedAt = Date.now();
    const atKill = await row();
    expect(atKill.state).toBe("running");
    expect(atKill.processed).toBeLessThan(CARDS);
    // Only committed batches' texts exist: one per card counted.
    expect((await smsOf())[0]).toEqual({ n: atKill.processed, phones: atKill.processed });

    // A fresh worker: the dead one's job is failed by its stale heartbeat and retried from the checkpoint.
    await startWorkerProcess([QUEUES.pushEventRun, QUEUES.pushEventTick]);
    await vi.waitFor(async () => expect((await row()).processed).toBeGreaterThan(atKill.processed), { timeout: 60_000, interval: 250 });
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    await vi.waitFor(async () => expect((await row()).state).toBe("finished"), { timeout: 60_000, interval: 250 });
    expect((await row()).processed).toBe(CARDS);
    expect((await smsOf())[0]).toEqual({ n: CARDS, phones: CARDS });
  }, 180_000);
});
