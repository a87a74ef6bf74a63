import { and, count, countDistinct, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { cardEvents, customers, outboxMessages, pushEventBatches, pushEvents, walletUpdates } from "@/db/schema";
import { closeAllApnsClients } from "@/lib/adapters/apns/client";
import { getAppleSigner } from "@/lib/passes/apple/signer";
import { drainWalletUpdates } from "@/lib/wallet/drain";
import { QUEUES } from "@/lib/jobs/queues";
import { createPushEvent } from "@/lib/push-events";
import { PUSH_BATCH } from "@/lib/push-events/run";
import { killMidBatch, killWorkerProcesses, startWorkerProcess } from "../support/spawn-worker";
import { createManyTestCards, createTestMerchant } from "../factories";
import { startApnsStandIn } from "../support/apns-stand-in";
import { ctxOf, input, makeDue } from "../support/push";

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
    const event = await createPushEvent(getDb(), ctxOf(m), input({ type: "sms", message: "Sale on Sunday", audience: { templateIds: [template.id] } }));
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

  it("a push notification to 1,200 iPhones: a worker killed while telling its batches leaves them leased; when the lease runs out the drain tells each card, every device pushed at least once and counted once", async () => {
    const apns = await startApnsStandIn();
    const appleUrl = process.env.APNS_URL;
    process.env.APNS_URL = apns.url; // the worker processes' APNs
    try {
      const m = await createTestMerchant();
      const template = await createManyTestCards(m, CARDS);
      const { passTypeId } = await getAppleSigner(getDb(), m.merchant.id);
      await getDb().execute(sql`
        insert into wallet_devices (merchant_id, platform, device_library_id, pass_type_id, push_token, model)
        select ${m.merchant.id}::uuid, 'apple', 'crash-' || c.id, ${passTypeId}, md5(c.id::text), 'iPhone'
        from cards c where c.merchant_id = ${m.merchant.id}::uuid`);
      await getDb().execute(sql`
        insert into wallet_registrations (merchant_id, device_id, card_id)
        select ${m.merchant.id}::uuid, d.id, c.id from cards c
        join wallet_devices d on d.merchant_id = c.merchant_id and d.device_library_id = 'crash-' || c.id
        where c.merchant_id = ${m.merchant.id}::uuid`);

      const child = await startWorkerProcess([QUEUES.pushEventRun]);
      const event = await createPushEvent(getDb(), ctxOf(m), input({ type: "push", message: "Sale on Sunday", audience: { templateIds: [template.id] } }));
      const row = async () => (await getDb().select().from(pushEvents).where(eq(pushEvents.id, event.id)))[0];
      // The run tells its batches itself; holding card_events stops the first one's settling (its
      // `push.delivered`) after its pushes went out, and the worker dies there.
      await killMidBatch(child, async () => (await row()).processed >= PUSH_BATCH, "card_events");
      const leased = await getDb().select().from(pushEventBatches).where(eq(pushEventBatches.eventId, event.id));
      expect(leased.length).toBeGreaterThan(0);
      expect(leased.every((r) => r.leaseUntil.getTime() > Date.now())).toBe(true);
      expect((await row()).appleAccepted).toBe(0);

      // The lease runs out (made due here rather than waited for): the drain tells those cards, and a
      // fresh worker's run carries on from its checkpoint.
      await makeDue();
      await drainWalletUpdates(getDb(), { apnsUrl: apns.url });
      await startWorkerProcess([QUEUES.pushEventRun, QUEUES.pushEventTick, QUEUES.walletDrain]);
      await vi.waitFor(async () => expect((await row()).state).toBe("finished"), { timeout: 90_000, interval: 250 });

      const tokens = rowsOf<{ push_token: string }>(
        await getDb().execute(sql`select push_token from wallet_devices where merchant_id = ${m.merchant.id}::uuid`),
      ).map((r) => r.push_token);
      const reached = new Set(apns.received.map((r) => r.token));
      expect(tokens.filter((t) => !reached.has(t))).toEqual([]);
      expect(await row()).toMatchObject({ processed: CARDS, applePushed: CARDS, appleAccepted: CARDS, appleFailed: 0 });
      const [delivered] = await getDb()
        .select({ n: count(), cards: countDistinct(cardEvents.cardId) })
        .from(cardEvents)
        .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "push.delivered")));
      expect(delivered).toEqual({ n: CARDS, cards: CARDS });
      expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.campaignId, event.id))).toEqual([]);
      expect(await getDb().select().from(pushEventBatches).where(eq(pushEventBatches.eventId, event.id))).toEqual([]);
    } finally {
      if (appleUrl === undefined) delete process.env.APNS_URL;
      else process.env.APNS_URL = appleUrl;
      await closeAllApnsClients();
      await apns.close();
    }
  }, 240_000);
});
