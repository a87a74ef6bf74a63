import { createServer, constants, type Http2Server, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, walletUpdates } from "@/db/schema";
import { closeAllApnsClients } from "@/lib/adapters/apns/client";
import { createPushEvent, getPushEventOrThrow, pushEventCounts } from "@/lib/push-events";
import { runPushEvent } from "@/lib/push-events/run";
import { drainWalletUpdates } from "@/lib/wallet/drain";
import { queueWalletUpdates } from "@/lib/wallet/queue";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice } from "../factories";
import { ctxOf, input, makeDue } from "../support/push";

const db = () => getDb();
const tokenOf = (device: string) => Buffer.from(device).toString("hex");

/**
 * An APNs that answers 200, 503 to the tokens in `busy`, and before answering a token of `changing`
 * changes that card again (its queue row's revision), as a purchase during the drain would.
 */
let server: Http2Server;
let url = "";
const busy = new Set<string>();
const changing = new Map<string, string>();
/**
 * Tokens whose push batch (of the event named) another telling settles (deletes) before the answer:
 * its lease ran out mid-telling and the drain took it.
 */
const settledElsewhere = new Map<string, string>();
/** Tokens whose card is deleted (as its merchant might) before the answer. */
const deleting = new Map<string, string>();
const pushed: string[] = [];
beforeAll(async () => {
  server = createServer();
  server.on("stream", (stream: ServerHttp2Stream, headers) => {
    const token = decodeURIComponent(String(headers[constants.HTTP2_HEADER_PATH]).split("/").pop() ?? "");
    pushed.push(token);
    stream.on("data", () => undefined);
    stream.on("end", async () => {
      const cardId = changing.get(token);
      if (cardId) await db().execute(sql`update wallet_updates set revision = revision + 1 where card_id = ${cardId}::uuid`);
      const doomed = deleting.get(token);
      if (doomed) await db().execute(sql`delete from cards where id = ${doomed}::uuid`);
      const gone = settledElsewhere.get(token);
      if (gone) await db().execute(sql`delete from push_event_batches where event_id = ${gone}::uuid`);
      if (busy.has(token)) {
        stream.respond({ [constants.HTTP2_HEADER_STATUS]: 503, "content-type": "application/json" });
        stream.end(JSON.stringify({ reason: "ServiceUnavailable" }));
      } else stream.respond({ [constants.HTTP2_HEADER_STATUS]: 200 }, { endStream: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeAllApnsClients();
  await new Promise((resolve) => server.close(resolve));
});

describe("the wallet drain settles a batch at once", () => {
  it("two merchants' cards in one batch: each card's events under its own merchant, the campaign counts each card once, a card changed meanwhile goes round again, a refused one waits", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const template = await createTestTemplate(a);
    const aCards = [];
    for (let i = 0; i < 3; i++) {
      const { card } = await createTestCard(a, { template });
      await createTestWalletDevice(card, `batch-a-${i}`);
      aCards.push(card);
    }
    const { card: steady } = await createTestCard(b);
    const { card: changed } = await createTestCard(b);
    const { card: refused } = await createTestCard(b);
    await createTestWalletDevice(steady, "batch-b-steady");
    await createTestWalletDevice(changed, "batch-b-changed");
    await createTestWalletDevice(refused, "batch-b-refused");
    changing.set(tokenOf("batch-b-changed"), changed.id);
    busy.add(tokenOf("batch-b-refused"));
    await db().delete(walletUpdates);

    const event = await createPushEvent(db(), ctxOf(a), input({ type: "push", message: "Hello", audience: { templateIds: [template.id] } }));
    await runPushEvent(db(), event.id);
    await queueWalletUpdates(db(), b.merchant.id, { cardIds: [steady.id, changed.id, refused.id] });
    await makeDue();
    const stats = await drainWalletUpdates(db(), { apnsUrl: url });
    expect(stats).toMatchObject({ cards: 6, pushes: 5, retries: 1, failures: 0 });
    expect(pushed.filter((t) => t.startsWith(tokenOf("batch-")))).toHaveLength(6);

    // The campaign: three cards pushed and accepted, one push.delivered each, under merchant A.
    expect(pushEventCounts(await getPushEventOrThrow(db(), a.merchant.id, event.id)).apple).toEqual({ pushed: 3, accepted: 3, failed: 0, gone: 0 });
    const events = await db()
      .select({ cardId: cardEvents.cardId, merchantId: cardEvents.merchantId, type: cardEvents.type, data: cardEvents.data })
      .from(cardEvents)
      .where(
        and(
          inArray(cardEvents.cardId, [...aCards.map((c) => c.id), steady.id, changed.id, refused.id]),
          inArray(cardEvents.type, ["wallet.push_sent", "push.delivered", "wallet.push_failed"]),
        ),
      );
    // A campaign's card has its push in its `push.delivered` (no `wallet.push_sent` of its own).
    for (const card of aCards) {
      const mine = events.filter((e) => e.cardId === card.id);
      expect(mine.map((e) => e.type)).toEqual(["push.delivered"]);
      expect(mine.every((e) => e.merchantId === a.merchant.id)).toBe(true);
      expect(mine[0].data).toMatchObject({ campaignId: event.id, apple: 1, figures: { appleAccepted: 1 }, pushesSent: 1 });
    }
    for (const card of [steady, changed]) {
      expect(events.filter((e) => e.cardId === card.id)).toEqual([
        { cardId: card.id, merchantId: b.merchant.id, type: "wallet.push_sent", data: { platform: "apple", devices: 1 } },
      ]);
    }
    expect(events.filter((e) => e.cardId === refused.id)).toEqual([]);

    // The queue: the campaign's and the steady card's rows are gone; the changed card goes round again
    // as an ordinary update; the refused one waits with its own attempt and error.
    const rows = await db().select().from(walletUpdates);
    expect(rows.map((r) => r.cardId).sort()).toEqual([changed.id, refused.id].sort());
    expect(rows.find((r) => r.cardId === changed.id)).toMatchObject({ attempts: 0, lastError: null, campaignId: null });
    const waiting = rows.find((r) => r.cardId === refused.id)!;
    expect(waiting).toMatchObject({ attempts: 1, lastError: expect.stringContaining("ServiceUnavailable") });
    expect(waiting.dueAt.getTime()).toBeGreaterThan(Date.now());

    // The next round pushes the changed card once more, and nothing of the campaign again.
    changing.clear();
    busy.clear();
    const before = pushed.length;
    await makeDue();
    expect(await drainWalletUpdates(db(), { apnsUrl: url })).toMatchObject({ cards: 2, pushes: 2, retries: 0 });
    expect(pushed.slice(before).sort()).toEqual([tokenOf("batch-b-changed"), tokenOf("batch-b-refused")].sort());
    expect(await db().select().from(walletUpdates)).toEqual([]);
    expect(pushEventCounts(await getPushEventOrThrow(db(), a.merchant.id, event.id)).apple).toEqual({ pushed: 3, accepted: 3, failed: 0, gone: 0 });
    expect(
      await db()
        .select()
        .from(cardEvents)
        .where(and(eq(cardEvents.merchantId, b.merchant.id), eq(cardEvents.type, "wallet.push_sent"))),
    ).toHaveLength(4);
  });

  it("a push event's run tells its own batches as each commits: one push per device, one push.delivered per card, nothing left for the drain but a refused card's retry", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const cards = [];
    for (let i = 0; i < 5; i++) {
      const { card } = await createTestCard(m, { template });
      await createTestWalletDevice(card, `tell-${i}`);
      cards.push(card);
    }
    const { card: bare } = await createTestCard(m, { template }); // in no wallet: nothing to tell
    busy.add(tokenOf("tell-4"));
    await db().delete(walletUpdates);
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Told at once", audience: { templateIds: [template.id] } }));
    const before = pushed.length;
    // Batches of two: three batches told by the run, without a drain.
    expect(await runPushEvent(db(), event.id, { size: 2, tell: { apnsUrl: url } })).toMatchObject({ more: false, recheckSeconds: 2 });
    expect(pushed.slice(before).sort()).toEqual(cards.map((_, i) => tokenOf(`tell-${i}`)).sort());
    expect(pushEventCounts(await getPushEventOrThrow(db(), m.merchant.id, event.id)).apple).toEqual({ pushed: 4, accepted: 4, failed: 0, gone: 0 });
    const delivered = await db()
      .select({ cardId: cardEvents.cardId, data: cardEvents.data })
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), inArray(cardEvents.type, ["push.delivered", "wallet.push_sent"])));
    expect(delivered.map((e) => e.cardId).sort()).toEqual(
      cards
        .slice(0, 4)
        .map((c) => c.id)
        .sort(),
    );
    expect(delivered.every((e) => e.data.pushesSent === 1 && e.data.campaignId === event.id)).toBe(true);
    // Only the refused card is queued, for the drain, with the campaign's id and its own attempt.
    const rows = await db().select().from(walletUpdates);
    expect(rows).toEqual([expect.objectContaining({ cardId: cards[4].id, campaignId: event.id, attempts: 1 })]);
    expect(rows.some((r) => r.cardId === bare.id)).toBe(false);

    // The drain's retry completes the campaign: the fifth card counted once, and the run finishes.
    busy.clear();
    await makeDue();
    expect(await drainWalletUpdates(db(), { apnsUrl: url })).toMatchObject({ cards: 1, pushes: 1 });
    expect(await runPushEvent(db(), event.id, { tell: { apnsUrl: url } })).toEqual({ more: false });
    const done = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(done.state).toBe("finished");
    expect(pushEventCounts(done).apple).toEqual({ pushed: 5, accepted: 5, failed: 0, gone: 0 });
  });

  it("a run tells the wallets it read with its batch: a card on two iPhones gets both pushed, once, in one push.delivered; a card on none is not in the batch", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card: twice } = await createTestCard(m, { template });
    const { card: none } = await createTestCard(m, { template });
    await createTestWalletDevice(twice, "two-phones-a");
    await createTestWalletDevice(twice, "two-phones-b");
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Both", audience: { templateIds: [template.id] } }));
    const before = pushed.length;
    await runPushEvent(db(), event.id, { tell: { apnsUrl: url } });
    expect(pushed.slice(before).sort()).toEqual([tokenOf("two-phones-a"), tokenOf("two-phones-b")].sort());
    expect(await runPushEvent(db(), event.id, { tell: { apnsUrl: url } })).toEqual({ more: false });
    const done = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(done).toMatchObject({ state: "finished", processed: 2 });
    expect(pushEventCounts(done).apple).toEqual({ pushed: 2, accepted: 2, failed: 0, gone: 0 });
    const delivered = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "push.delivered")));
    expect(delivered.map((e) => [e.cardId, e.data.apple])).toEqual([[twice.id, 2]]);
    expect(delivered.some((e) => e.cardId === none.id)).toBe(false);
  });

  it("a push batch that another telling settled while this one was telling it (its lease ran out) is counted by that one only", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card: first } = await createTestCard(m, { template });
    const { card: second } = await createTestCard(m, { template });
    await createTestWalletDevice(first, "lease-first");
    await createTestWalletDevice(second, "lease-second");
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Lease", audience: { templateIds: [template.id] } }));
    settledElsewhere.set(tokenOf("lease-second"), event.id);
    await runPushEvent(db(), event.id, { tell: { apnsUrl: url } });
    settledElsewhere.clear();
    expect(await runPushEvent(db(), event.id, { tell: { apnsUrl: url } })).toEqual({ more: false });
    const done = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(done.state).toBe("finished");
    // The batch's row was gone when this telling settled: it recorded nothing (the other one counts).
    expect(pushEventCounts(done).apple).toEqual({ pushed: 0, accepted: 0, failed: 0, gone: 0 });
    const delivered = await db()
      .select({ cardId: cardEvents.cardId })
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "push.delivered")));
    expect(delivered).toEqual([]);
  });

  it("a push batch whose run died before settling it is told by the drain when its lease runs out, and counted once", async () => {
    const m = await createTestMerchant();
    const other = await createTestMerchant();
    const template = await createTestTemplate(m);
    const cards = [];
    for (let i = 0; i < 3; i++) {
      const { card } = await createTestCard(m, { template });
      await createTestWalletDevice(card, `orphan-${i}`);
      cards.push(card);
    }
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Orphan", audience: { templateIds: [template.id] } }));
    // As the run leaves it when killed after its step committed: the cards written, the batch leased, the checkpoint past them.
    await db().execute(sql`update push_events set state = 'running', phase = 'settle', processed = 3 where id = ${event.id}::uuid`);
    const ids = cards.map((c) => c.id).sort();
    await db().execute(sql`
      insert into push_event_batches (event_id, merchant_id, card_ids, lease_until)
      values (${event.id}::uuid, ${m.merchant.id}::uuid, ${`{${ids.join(",")}}`}::uuid[], now() + interval '2 minutes')`);
    // Still leased: the drain leaves it, and the run waits for it.
    await drainWalletUpdates(db(), { apnsUrl: url });
    expect(await runPushEvent(db(), event.id, { tell: { apnsUrl: url } })).toMatchObject({ more: false, recheckSeconds: 2 });
    expect(pushEventCounts(await getPushEventOrThrow(db(), m.merchant.id, event.id)).apple.pushed).toBe(0);

    await makeDue();
    const before = pushed.length;
    expect(await drainWalletUpdates(db(), { apnsUrl: url })).toMatchObject({ cards: 3, pushes: 3 });
    expect(pushed.slice(before).sort()).toEqual([0, 1, 2].map((i) => tokenOf(`orphan-${i}`)).sort());
    expect(await runPushEvent(db(), event.id, { tell: { apnsUrl: url } })).toEqual({ more: false });
    const done = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(done.state).toBe("finished");
    expect(pushEventCounts(done).apple).toEqual({ pushed: 3, accepted: 3, failed: 0, gone: 0 });
    const delivered = await db()
      .select({ cardId: cardEvents.cardId, data: cardEvents.data })
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "push.delivered")));
    expect(delivered.map((e) => e.cardId).sort()).toEqual(ids);
    expect(delivered.every((e) => e.data.campaignId === event.id)).toBe(true);
    // Under the batch's own merchant only.
    expect(await db().select().from(cardEvents).where(eq(cardEvents.merchantId, other.merchant.id))).toEqual([]);
  });
  it("a card deleted while its push batch is told, its push refused: the batch settles, the others counted, no retry queued for it", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const made = [];
    for (let i = 0; i < 3; i++) {
      const { card } = await createTestCard(m, { template });
      await createTestWalletDevice(card, `deleted-${i}`);
      made.push(card);
    }
    busy.add(tokenOf("deleted-0"));
    deleting.set(tokenOf("deleted-0"), made[0].id);
    try {
      const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Gone", audience: { templateIds: [template.id] } }));
      expect(await runPushEvent(db(), event.id, { tell: { apnsUrl: url } })).toEqual({ more: false });
      const done = await getPushEventOrThrow(db(), m.merchant.id, event.id);
      expect(done.state).toBe("finished");
      expect(pushEventCounts(done).apple).toMatchObject({ accepted: 2 });
      expect(await db().select().from(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id))).toEqual([]);
      const delivered = await db()
        .select({ cardId: cardEvents.cardId })
        .from(cardEvents)
        .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "push.delivered")));
      expect(delivered.map((e) => e.cardId).sort()).toEqual([made[1].id, made[2].id].sort());
    } finally {
      busy.clear();
      deleting.clear();
    }
  });
});
