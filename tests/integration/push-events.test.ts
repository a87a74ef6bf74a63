import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { QUEUES } from "@/lib/jobs/queues";
import { cardEvents, cards, customers, pushEvents, pushSettings, walletUpdates } from "@/db/schema";
import { AppError } from "@/lib/errors";
import {
  copyPushEvent,
  countAudience,
  createPushEvent,
  deletePushEvent,
  getPushEventOrThrow,
  listPushEvents,
  pushEventCounts,
  updatePushEvent,
} from "@/lib/push-events";
import { campaignDeliveryEvent, GOOGLE_NOTIFY_PER_DAY, noDelivery, sendCampaignGoogleMessage, type CampaignDelivery } from "@/lib/push-events/delivery";
import { WalletApiError } from "@/lib/wallet/google/client";
import { pushBatchStep, runPushEvent, runPushEventStep, tickPushEvents } from "@/lib/push-events/run";
import { fromZonedInput, inQuietHours, toZonedInput } from "@/lib/push-events/zone";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_CUMULATIVE_PROGRAM } from "@/lib/templates/definition";
import { drainWalletUpdates } from "@/lib/wallet/drain";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice } from "../factories";
import { apnsStandInForFile, builtPass, cardWithScheduledPush, ctxOf, input, makeDue } from "../support/push";

const db = () => getDb();

const passOf = async (merchantId: string, cardId: string) => (await builtPass(merchantId, cardId)).passJson;

const apns = apnsStandInForFile();

describe("push notification", () => {
  it("goes scheduled → running → finished: the news field carries the message, one push per device, figures per platform", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    const { card: other } = await createTestCard(m, { template });
    await createTestWalletDevice(card, "push-dev-1");
    await createTestWalletDevice(card, "push-dev-2");
    await db().delete(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id));
    const event = await createPushEvent(
      db(),
      ctxOf(m),
      input({ type: "push", message: "Coffee is half price today", audience: { templateIds: [template.id] } }),
    );
    expect(event.state).toBe("scheduled");

    const started = await runPushEvent(db(), event.id);
    expect(started.recheckSeconds).toBe(2);
    const running = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(running).toMatchObject({ state: "running", phase: "settle", total: 2, processed: 2 });
    const [withNews] = await db().select().from(cards).where(eq(cards.id, card.id));
    expect(withNews.news).toBe("Coffee is half price today");
    expect(withNews.updateTag).toBeGreaterThan(card.updateTag);
    // Only the card a wallet holds is queued for the drain, under the campaign.
    const queued = await db().select().from(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id));
    expect(queued.map((q) => [q.cardId, q.campaignId])).toEqual([[card.id, event.id]]);

    const before = apns().received.length;
    await makeDue();
    await drainWalletUpdates(db(), { apnsUrl: apns().url });
    expect(
      apns()
        .received.slice(before)
        .map((r) => r.token)
        .sort(),
    ).toEqual([Buffer.from("push-dev-1").toString("hex"), Buffer.from("push-dev-2").toString("hex")].sort());

    await runPushEvent(db(), event.id);
    const done = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(done.state).toBe("finished");
    expect(pushEventCounts(done)).toEqual({
      apple: { pushed: 2, accepted: 2, failed: 0, gone: 0 },
      google: { notified: 0, quiet: 0, failed: 0, inDoubt: 0 },
      sms: { delivered: 0, failed: 0, inDoubt: 0, cost: 0 },
    });
    const pass = await passOf(m.merchant.id, card.id);
    expect(pass.storeCard.backFields.find((f) => f.key === "cd_news")).toMatchObject({ value: "Coffee is half price today", changeMessage: "%@" });
    const events = await db().select().from(cardEvents).where(eq(cardEvents.merchantId, m.merchant.id));
    expect(events.filter((e) => e.type === "push.delivered").map((e) => [e.cardId, e.data.campaignId])).toEqual([[card.id, event.id]]);
    expect(events.filter((e) => e.type.startsWith("campaign.")).map((e) => e.type)).toEqual(["campaign.started", "campaign.finished"]);
    expect(events.some((e) => e.type === "push.delivered" && e.cardId === other.id)).toBe(false);
  });

  it("edits only while scheduled; deleting a running one stops it, hides it and keeps its figures", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const cardsMade = await Promise.all([1, 2, 3].map(() => createTestCard(m, { template })));
    const later = new Date(Date.now() + 3_600_000);
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Hi", audience: { templateIds: [template.id] }, startAt: later }));
    // Not due yet: a step leaves it scheduled.
    expect(await runPushEventStep(db(), event.id)).toEqual({ more: false });
    const edited = await updatePushEvent(
      db(),
      ctxOf(m),
      event.id,
      input({ type: "push", message: "Hello", audience: { templateIds: [template.id] }, startAt: later }),
    );
    expect(edited.message).toBe("Hello");

    await runPushEventStep(db(), event.id, { now: new Date(later.getTime() + 1000) });
    await runPushEventStep(db(), event.id, { now: new Date(later.getTime() + 1000), size: 1 });
    const running = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(running).toMatchObject({ state: "running", processed: 1, afterCardId: [...cardsMade.map((c) => c.card.id)].sort()[0] });
    await expect(
      updatePushEvent(db(), ctxOf(m), event.id, input({ type: "push", message: "x", audience: { templateIds: [template.id] } })),
    ).rejects.toMatchObject({
      code: "conflict",
    });

    await deletePushEvent(db(), ctxOf(m), event.id);
    await expect(getPushEventOrThrow(db(), m.merchant.id, event.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await listPushEvents(db(), m.merchant.id, { page: 1, pageSize: 10 })).rows).toEqual([]);
    const [kept] = await db().select().from(pushEvents).where(eq(pushEvents.id, event.id));
    expect(kept).toMatchObject({ state: "finished", processed: 1 });
    expect(kept.deletedAt).not.toBeNull();
    // Stopped: a late step sends no more.
    await runPushEvent(db(), event.id);
    const news = await db().select({ news: cards.news }).from(cards).where(eq(cards.templateId, template.id));
    expect(news.filter((n) => n.news === "Hello")).toHaveLength(1);
  });

  it("a start moved earlier is queued at the new time, not held back by the job waiting for the old one", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const body = (startAt: Date) => input({ type: "push", message: "Hi", audience: { templateIds: [template.id] }, startAt });
    const event = await createPushEvent(db(), ctxOf(m), body(new Date(Date.now() + 3 * 3_600_000)));
    await updatePushEvent(db(), ctxOf(m), event.id, body(new Date(Date.now() + 10 * 60_000)));
    const waiting = async () =>
      rowsOf<{ in: number }>(
        await db().execute(
          sql`select extract(epoch from start_after - now())::int as in from pgboss.job where name = ${QUEUES.pushEventRun} and data->>'id' = ${event.id} and state = 'created' order by start_after`,
        ),
      ).map((j) => Math.round(j.in / 60));
    expect(await waiting()).toEqual([10, 180]);
    // Due now (the minute tick, or a start moved to now): a job for now, beside the ones waiting.
    await updatePushEvent(db(), ctxOf(m), event.id, input({ type: "push", message: "Hi", audience: { templateIds: [template.id] } }));
    expect(await waiting()).toEqual([0, 10, 180]);
  });

  it("a copy is a new scheduled event with the same audience and content", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const event = await createPushEvent(
      db(),
      ctxOf(m),
      input({ type: "push", name: "Autumn", message: "Hi", audience: { templateIds: [template.id] }, startAt: new Date(Date.now() + 60_000) }),
    );
    const copy = await copyPushEvent(db(), ctxOf(m), event.id);
    expect(copy.id).not.toBe(event.id);
    expect(copy).toMatchObject({ state: "scheduled", type: "push", name: "Autumn", message: "Hi", audience: { templateIds: [template.id] } });
    expect((await listPushEvents(db(), m.merchant.id, { page: 1, pageSize: 10 })).total).toBe(2);
  });

  it("two jobs on one event at once never handle a card twice and skip none", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const made = await Promise.all([1, 2, 3, 4, 5].map(() => createTestCard(m, { template })));
    for (const { card } of made) await createTestWalletDevice(card);
    await db().delete(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id));
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Once", audience: { templateIds: [template.id] } }));
    await runPushEventStep(db(), event.id);
    const runOne = async () => {
      for (let i = 0; i < 10; i++) if (!(await runPushEventStep(db(), event.id, { size: 2 })).more) return;
    };
    await Promise.all([runOne(), runOne()]);
    const row = await getPushEventOrThrow(db(), m.merchant.id, event.id);
    expect(row.processed).toBe(5);
    const queued = await db().select().from(walletUpdates).where(eq(walletUpdates.campaignId, event.id));
    expect(queued.map((q) => q.cardId).sort()).toEqual(made.map((c) => c.card.id).sort());
    expect(queued.every((q) => q.revision === 0)).toBe(true);
  });

  it("a push's next batch from its cursor writes nothing once the event moved on: another job's batch, or a delete", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const made = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createTestCard(m, { template })));
    for (const { card } of made) await createTestWalletDevice(card);
    await db().delete(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id));
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Cursor", audience: { templateIds: [template.id] } }));
    const ids = made.map((c) => c.card.id).sort();
    await runPushEventStep(db(), event.id);
    const first = await runPushEventStep(db(), event.id, { size: 2 });
    expect(first.cursor).toMatchObject({ afterCardId: ids[1] });
    // The cursor's batch goes on its own.
    const second = await pushBatchStep(db(), first.cursor!, { size: 2 });
    expect(second?.cursor).toMatchObject({ afterCardId: ids[3] });
    expect(await getPushEventOrThrow(db(), m.merchant.id, event.id)).toMatchObject({ processed: 4, afterCardId: ids[3] });
    // A stale cursor (another job wrote from it meanwhile) writes nothing.
    expect(await pushBatchStep(db(), first.cursor!, { size: 2 })).toBeNull();
    expect(await getPushEventOrThrow(db(), m.merchant.id, event.id)).toMatchObject({ processed: 4, afterCardId: ids[3] });
    // Deleted: the next batch writes nothing, and a full step finishes the event.
    await deletePushEvent(db(), ctxOf(m), event.id);
    expect(await pushBatchStep(db(), second!.cursor!, { size: 2 })).toBeNull();
    const news = await db().select({ id: cards.id, news: cards.news }).from(cards).where(eq(cards.templateId, template.id));
    expect(
      news
        .filter((n) => n.news === "Cursor")
        .map((n) => n.id)
        .sort(),
    ).toEqual(ids.slice(0, 4));
    const queued = await db().select().from(walletUpdates).where(eq(walletUpdates.campaignId, event.id));
    expect(queued.map((q) => q.cardId).sort()).toEqual(ids.slice(0, 4));
    expect(queued.every((q) => q.revision === 0)).toBe(true);
    expect(await runPushEventStep(db(), event.id)).toEqual({ more: false });
  });

  it("a step that fails rolls back whole: the retry starts from the same checkpoint", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    await Promise.all([1, 2, 3].map(() => createTestCard(m, { template })));
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Crash", audience: { templateIds: [template.id] } }));
    await runPushEventStep(db(), event.id);
    // A worker dying mid-step is its transaction rolled back: make the step's card update fail once.
    await db().execute(sql`create or replace function push_test_fail() returns trigger language plpgsql as $$ begin raise exception 'killed'; end $$`);
    await db().execute(sql`create trigger push_test_fail before update of news on cards for each row execute function push_test_fail()`);
    await expect(runPushEventStep(db(), event.id, { size: 2 })).rejects.toThrow();
    expect(await getPushEventOrThrow(db(), m.merchant.id, event.id)).toMatchObject({ processed: 0, afterCardId: null });
    await db().execute(sql`drop trigger push_test_fail on cards`);
    await runPushEvent(db(), event.id, { size: 2 });
    expect((await getPushEventOrThrow(db(), m.merchant.id, event.id)).processed).toBe(3);
    const news = await db().select({ news: cards.news }).from(cards).where(eq(cards.templateId, template.id));
    expect(news.every((n) => n.news === "Crash")).toBe(true);
  });
});

describe("audience", () => {
  it("counts by status, balance, birthday month and level before saving", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card: a } = await createTestCard(m, { template, balance: 50 });
    const { card: b } = await createTestCard(m, { template, balance: 500 });
    await createTestCard(m, { template, balance: 5000 });
    await createTestWalletDevice(a);
    await db().update(customers).set({ birthday: "1990-03-14" }).where(eq(customers.id, b.customerId!));
    const count = (audience: Record<string, unknown>) => countAudience(db(), m.merchant.id, { templateIds: [template.id], ...audience });
    expect(await count({})).toMatchObject({ cards: 3, apple: 1, google: 0 });
    expect((await count({ status: ["apple"] })).cards).toBe(1);
    expect((await count({ status: ["not_installed"] })).cards).toBe(2);
    expect((await count({ balanceMin: 100, balanceMax: 1000 })).cards).toBe(1);
    expect((await count({ birthdayMonth: 3 })).cards).toBe(1);
    expect((await count({ daysSinceLastPurchase: 30 })).cards).toBe(0);
    // Levels by purchase total: Silver from 0, Gold from 1000; one card has bought enough for Gold.
    const current = await getTemplateOrThrow(db(), m.merchant.id, template.id);
    await saveTemplateVersion(db(), { merchantId: m.merchant.id, userId: m.owner.id }, template.id, {
      name: current.template.name,
      definition: {
        ...current.version.definition,
        program: {
          ...DEFAULT_CUMULATIVE_PROGRAM,
          levels: [
            { name: "Silver", minTotal: 0, discountPercent: 3 },
            { name: "Gold", minTotal: 1000, discountPercent: 5 },
          ],
        },
      },
    });
    await db().update(cards).set({ purchaseTotal: 5000 }).where(eq(cards.id, a.id));
    expect((await count({ level: "Gold" })).cards).toBe(1);
    expect((await count({ level: "Silver" })).cards).toBe(2);
    expect((await count({ level: "No such level" })).cards).toBe(0);
    // A card whose floor (a company's starting level) is Gold's threshold is a Gold card, having bought nothing.
    await db().update(cards).set({ levelFloor: 1000 }).where(eq(cards.id, b.id));
    expect((await count({ level: "Gold" })).cards).toBe(2);
    expect((await count({ level: "Silver" })).cards).toBe(1);
  });
});

describe("dynamic promotion", () => {
  it("lays its design over the current template version and the end restores the template exactly", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    const original = await passOf(m.merchant.id, card.id);
    const start = new Date();
    const end = new Date(Date.now() + 60_000);
    const event = await createPushEvent(
      db(),
      ctxOf(m),
      input({
        type: "promotion",
        name: "Black Friday",
        audience: { templateIds: [template.id] },
        design: { backgroundColor: "#000000", backText: "-50% on everything" },
        endAt: end,
      }),
    );
    await runPushEvent(db(), event.id, { now: start });
    expect(await getPushEventOrThrow(db(), m.merchant.id, event.id)).toMatchObject({ state: "running", phase: "live" });
    const during = await passOf(m.merchant.id, card.id);
    expect(during.backgroundColor).toBe("rgb(0, 0, 0)");
    expect(JSON.stringify(during)).toContain("cd_terms");

    // The template is edited meanwhile: the promotion stays over the new version.
    const current = await getTemplateOrThrow(db(), m.merchant.id, template.id);
    await saveTemplateVersion(db(), { merchantId: m.merchant.id, userId: m.owner.id }, template.id, {
      name: current.template.name,
      definition: { ...current.version.definition, design: { ...current.version.definition.design, labelColor: "#123456", backgroundColor: "#fafafa" } },
    });
    const edited = await passOf(m.merchant.id, card.id);
    expect(edited).toMatchObject({ backgroundColor: "rgb(0, 0, 0)", labelColor: "rgb(18, 52, 86)" });

    await runPushEvent(db(), event.id, { now: new Date(end.getTime() + 1000) });
    expect(await getPushEventOrThrow(db(), m.merchant.id, event.id)).toMatchObject({ state: "finished" });
    const after = await passOf(m.merchant.id, card.id);
    expect(after).toMatchObject({ backgroundColor: "rgb(250, 250, 250)", labelColor: "rgb(18, 52, 86)" });
    expect(after.storeCard).toEqual(original.storeCard);
    const [row] = await db().select({ promotionId: cards.promotionId }).from(cards).where(eq(cards.id, card.id));
    expect(row.promotionId).toBeNull();
  });

  it("deleting a running promotion reverts its cards", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    const event = await createPushEvent(
      db(),
      ctxOf(m),
      input({ type: "promotion", audience: { templateIds: [template.id] }, design: { backgroundColor: "#ff0000" }, endAt: new Date(Date.now() + 3_600_000) }),
    );
    await runPushEvent(db(), event.id);
    expect((await passOf(m.merchant.id, card.id)).backgroundColor).toBe("rgb(255, 0, 0)");
    await deletePushEvent(db(), ctxOf(m), event.id);
    await runPushEvent(db(), event.id);
    expect((await passOf(m.merchant.id, card.id)).backgroundColor).not.toBe("rgb(255, 0, 0)");
    const [kept] = await db().select().from(pushEvents).where(eq(pushEvents.id, event.id));
    expect(kept.state).toBe("finished");
  });
});

describe("deleting and copying, without races or loose ends", () => {
  it("a promotion deleted while it was being laid on, or just after its last batch, comes off every card", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const made = await Promise.all([1, 2, 3].map(() => createTestCard(m, { template })));
    const promotion = () =>
      createPushEvent(
        db(),
        ctxOf(m),
        input({ type: "promotion", audience: { templateIds: [template.id] }, design: { backgroundColor: "#ff0000" }, endAt: new Date(Date.now() + 3_600_000) }),
      );
    const promoted = async () => (await db().select({ p: cards.promotionId }).from(cards).where(eq(cards.templateId, template.id))).filter((c) => c.p);
    // Mid-start: one card of three has it.
    const first = await promotion();
    await runPushEventStep(db(), first.id);
    await runPushEventStep(db(), first.id, { size: 1 });
    expect(await promoted()).toHaveLength(1);
    await deletePushEvent(db(), ctxOf(m), first.id);
    await runPushEvent(db(), first.id);
    expect(await promoted()).toHaveLength(0);
    expect((await db().select().from(pushEvents).where(eq(pushEvents.id, first.id)))[0].state).toBe("finished");
    // Deleted while still scheduled, then started by a run that read it before: it never goes live.
    const second = await promotion();
    await db()
      .update(pushEvents)
      .set({ state: "running", phase: "live", deletedAt: sql`now()` })
      .where(eq(pushEvents.id, second.id));
    await db().update(cards).set({ promotionId: second.id }).where(eq(cards.id, made[0].card.id));
    await runPushEvent(db(), second.id);
    expect(await promoted()).toHaveLength(0);
  });

  it("deleting a running push records campaign.finished, as its end would", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    await Promise.all([1, 2, 3].map(() => createTestCard(m, { template })));
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Stop me", audience: { templateIds: [template.id] } }));
    await runPushEventStep(db(), event.id);
    await runPushEventStep(db(), event.id, { size: 1 });
    await deletePushEvent(db(), ctxOf(m), event.id);
    const finished = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "campaign.finished")));
    expect(finished.map((e) => e.data)).toEqual([expect.objectContaining({ campaignId: event.id, deleted: true, processed: 1 })]);
    await expect(deletePushEvent(db(), ctxOf(m), event.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("a copy of a promotion whose end has passed ends as long after its start as the original ran", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const event = await createPushEvent(
      db(),
      ctxOf(m),
      input({ type: "promotion", audience: { templateIds: [template.id] }, design: { backgroundColor: "#00ff00" }, endAt: new Date(Date.now() + 3_600_000) }),
    );
    // It ran for two hours last month.
    const ran = { startAt: new Date(Date.now() - 30 * 86_400_000), endAt: new Date(Date.now() - 30 * 86_400_000 + 7_200_000) };
    await db().update(pushEvents).set(ran).where(eq(pushEvents.id, event.id));
    const copy = await copyPushEvent(db(), ctxOf(m), event.id);
    expect(copy.state).toBe("scheduled");
    expect(copy.startAt!.getTime()).toBeGreaterThan(Date.now());
    expect(copy.endAt!.getTime() - copy.startAt!.getTime()).toBe(7_200_000);
  });
});

describe("Google messages", () => {
  it("notify three times in 24 hours, then show without notifying (injected clock)", async () => {
    const { m, card, event } = await cardWithScheduledPush();
    const sent: { messageType: boolean }[] = [];
    const client = { addMessage: async (_t: string, _id: string, msg: { notify: boolean }) => void sent.push({ messageType: msg.notify }) };
    const object = { type: "loyaltyObject", body: { id: "issuer.card" } } as never;
    const empty = (): CampaignDelivery => noDelivery();
    for (let i = 0; i < GOOGLE_NOTIFY_PER_DAY; i++)
      await db()
        .insert(cardEvents)
        .values({ merchantId: m.merchant.id, cardId: card.id, type: "push.delivered", actorType: "system", data: { googleNotify: true } });
    const d = empty();
    await sendCampaignGoogleMessage(db(), client, object, { merchantId: m.merchant.id, cardId: card.id, campaignId: event.id }, d);
    expect(d).toMatchObject({ googleNotified: 0, googleQuiet: 1 });
    // A day later the three have aged out.
    const tomorrow = empty();
    await sendCampaignGoogleMessage(
      db(),
      client,
      object,
      { merchantId: m.merchant.id, cardId: card.id, campaignId: event.id },
      tomorrow,
      () => Date.now() + 25 * 3_600_000,
    );
    expect(tomorrow).toMatchObject({ googleNotified: 1, googleQuiet: 0 });
    expect(sent.map((s) => s.messageType)).toEqual([false, true]);
  });

  it("a message in doubt (sent again after a crash or an APNs retry) counts against the three", async () => {
    const { m, card, event } = await cardWithScheduledPush();
    const refused = {
      addMessage: async () => {
        throw new WalletApiError("already exists", 409);
      },
    };
    const object = { type: "loyaltyObject", body: { id: "issuer.card" } } as never;
    const item = { merchantId: m.merchant.id, cardId: card.id, campaignId: event.id };
    for (let i = 0; i < GOOGLE_NOTIFY_PER_DAY; i++) {
      const d = noDelivery();
      await sendCampaignGoogleMessage(db(), refused, object, item, d);
      expect(d).toMatchObject({ googleInDoubt: 1, googleNotified: 0 });
      const { type, data } = campaignDeliveryEvent({ ...item, delivery: d })!;
      await db().insert(cardEvents).values({ merchantId: m.merchant.id, cardId: card.id, type, data, actorType: "system" });
    }
    const sent: boolean[] = [];
    const d = noDelivery();
    await sendCampaignGoogleMessage(
      db(),
      { addMessage: async (_t: string, _id: string, msg: { notify: boolean }) => void sent.push(msg.notify) },
      object,
      item,
      d,
    );
    expect(sent).toEqual([false]);
    expect(d).toMatchObject({ googleQuiet: 1 });
  });
});

describe("quiet hours and time zones", () => {
  it("wrap midnight, and a scheduled push waits them out", async () => {
    expect(inQuietHours(23, 22, 8)).toBe(true);
    expect(inQuietHours(7, 22, 8)).toBe(true);
    expect(inQuietHours(8, 22, 8)).toBe(false);
    expect(inQuietHours(12, null, null)).toBe(false);
    const moscowNoon = fromZonedInput("Europe/Moscow", "2026-12-01T12:00")!;
    expect(moscowNoon.toISOString()).toBe("2026-12-01T09:00:00.000Z");
    expect(toZonedInput("Europe/Moscow", moscowNoon)).toBe("2026-12-01T12:00");

    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    await createTestCard(m, { template });
    await db().insert(pushSettings).values({ merchantId: m.merchant.id, quietFrom: 0, quietTo: 23 });
    const event = await createPushEvent(db(), ctxOf(m), input({ type: "push", message: "Night", audience: { templateIds: [template.id] } }));
    const night = fromZonedInput(m.merchant.timeZone, "2026-12-01T03:00")!;
    await runPushEventStep(db(), event.id, { now: night });
    expect((await getPushEventOrThrow(db(), m.merchant.id, event.id)).state).toBe("scheduled");
    await runPushEventStep(db(), event.id, { now: fromZonedInput(m.merchant.timeZone, "2026-12-01T23:30")! });
    expect((await getPushEventOrThrow(db(), m.merchant.id, event.id)).state).toBe("running");
    expect(await tickPushEvents(db())).toBeGreaterThanOrEqual(0);
  });
});

describe("tenancy", () => {
  it("another merchant can neither read, edit, copy, delete nor aim at a merchant's events and templates", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const template = await createTestTemplate(a);
    const event = await createPushEvent(
      db(),
      ctxOf(a),
      input({ type: "push", message: "A", audience: { templateIds: [template.id] }, startAt: new Date(Date.now() + 60_000) }),
    );
    await expect(getPushEventOrThrow(db(), b.merchant.id, event.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(
      updatePushEvent(db(), ctxOf(b), event.id, input({ type: "push", message: "B", audience: { templateIds: [template.id] } })),
    ).rejects.toBeInstanceOf(AppError);
    await expect(copyPushEvent(db(), ctxOf(b), event.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(deletePushEvent(db(), ctxOf(b), event.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(createPushEvent(db(), ctxOf(b), input({ type: "push", message: "B", audience: { templateIds: [template.id] } }))).rejects.toMatchObject({
      code: "validation",
    });
    expect((await listPushEvents(db(), b.merchant.id, { page: 1, pageSize: 10 })).total).toBe(0);
    expect((await countAudience(db(), b.merchant.id, { templateIds: [template.id] })).cards).toBe(0);
    const [still] = await db()
      .select()
      .from(pushEvents)
      .where(and(eq(pushEvents.id, event.id), eq(pushEvents.merchantId, a.merchant.id)));
    expect(still).toMatchObject({ message: "A", deletedAt: null });
  });
});
