import { and, count, countDistinct, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cardImports, cardSends, cards, outboxMessages } from "@/db/schema";
import { staffActor } from "@/lib/cards/actor";
import { SEND_BATCH, enqueueCardSendBatch, resumeStalledCardSends, runCardSend, runCardSendBatch, startCardSend } from "@/lib/cards/bulk-send";
import { IMPORT_BATCH, previewCardImport, startCardImport } from "@/lib/cards/import";
import { issueCardsBatch } from "@/lib/cards/issue";
import { STALLED_AFTER_MS, isStalled } from "@/lib/jobs/batch";
import { getBoss } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { createTemplate, getTemplateOrThrow } from "@/lib/templates";
import { killMidBatch, killWorkerProcesses, startWorkerProcess } from "../support/spawn-worker";
import { createManyTestCards, createTestMerchant, uniquePhone } from "../factories";

const CARDS = 1200;
afterEach(killWorkerProcesses);

// A worker killed with SIGKILL needs a second process and a server that outlives it: PostgreSQL only
// (embedded PGlite runs the web and the worker in one process, so nothing is left behind to pick up).
describe.skipIf(!process.env.DATABASE_URL)("long work survives a worker killed mid-batch", () => {
  it("a bulk SMS of 1,200 cards: the half-written batch is rolled back, a fresh worker process resumes within a minute, every card's SMS queued exactly once", async () => {
    const m = await createTestMerchant();
    const template = await createManyTestCards(m, CARDS);
    const child = await startWorkerProcess([QUEUES.cardSend]);
    const send = await startCardSend(getDb(), m.actor, { channel: "sms", target: { filters: { templateId: template.id } }, locale: "ru" });
    expect(send.total).toBe(CARDS);
    const row = async () => (await getDb().select().from(cardSends).where(eq(cardSends.id, send.id)))[0];
    const smsOf = () =>
      getDb()
        .select({ n: count(), cards: countDistinct(outboxMessages.cardId) })
        .from(outboxMessages)
        .where(and(eq(outboxMessages.merchantId, m.merchant.id), eq(outboxMessages.kind, "card")));

    await killMidBatch(child, async () => (await row()).processed >= SEND_BATCH, "card_events");
    const killedAt = Date.now();
    // What the progress page shows is what was committed: each SMS queued belongs to a counted card, none of the cut batch's.
    const atKill = await row();
    expect(atKill.status).toBe("running");
    expect(atKill.processed).toBeLessThan(CARDS);
    expect((await smsOf())[0]).toEqual({ n: atKill.queued, cards: atKill.queued });

    await startWorkerProcess([QUEUES.cardSend]);
    await vi.waitFor(async () => expect((await row()).processed).toBeGreaterThan(atKill.processed), { timeout: 60_000, interval: 250 });
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    await vi.waitFor(async () => expect((await row()).status).toBe("done"), { timeout: 60_000, interval: 250 });

    expect(await row()).toMatchObject({ processed: CARDS, queued: CARDS, skipped: 0 });
    expect((await smsOf())[0]).toEqual({ n: CARDS, cards: CARDS });
    const [events] = await getDb()
      .select({ n: count() })
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.type, "card.sent")));
    expect(events.n).toBe(CARDS);
  }, 180_000);

  it("a CSV import of two and a half batches: the half-issued batch is rolled back, a fresh worker process resumes within a minute, every row issued exactly once", async () => {
    const ROWS = IMPORT_BATCH * 2 + IMPORT_BATCH / 2;
    const m = await createTestMerchant();
    const template = await createTemplate(getDb(), m.actor, { name: "Imported", kind: "loyalty" });
    const phones = Array.from({ length: ROWS }, () => uniquePhone());
    const preview = await previewCardImport(getDb(), m.actor, {
      templateId: template.id,
      fileName: "cards.csv",
      text: ["phone", ...phones].join("\n"),
      skipExisting: false,
    });
    if (!preview.ok) throw new Error(JSON.stringify(preview.fileErrors));
    const child = await startWorkerProcess([QUEUES.cardImport]);
    await startCardImport(getDb(), m.actor, preview.importId);
    const row = async () => (await getDb().select().from(cardImports).where(eq(cardImports.id, preview.importId)))[0];
    const issued = () =>
      getDb()
        .select({ n: count(), customers: countDistinct(cards.customerId) })
        .from(cards)
        .where(eq(cards.templateId, template.id));

    await killMidBatch(child, async () => (await row()).processed >= IMPORT_BATCH, "card_events");
    const killedAt = Date.now();
    const atKill = await row();
    expect(atKill.status).toBe("running");
    expect(atKill.processed).toBeLessThan(ROWS);
    expect((await issued())[0]).toEqual({ n: atKill.issued, customers: atKill.issued });

    await startWorkerProcess([QUEUES.cardImport]);
    await vi.waitFor(async () => expect((await row()).processed).toBeGreaterThan(atKill.processed), { timeout: 60_000, interval: 250 });
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    await vi.waitFor(async () => expect((await row()).status).toBe("done"), { timeout: 60_000, interval: 250 });

    expect(await row()).toMatchObject({ processed: ROWS, issued: ROWS, skipped: 0, errorCount: 0 });
    expect((await issued())[0]).toEqual({ n: ROWS, customers: ROWS });
  }, 180_000);
});

describe("resuming long work", () => {
  async function sendOf(cardsCount: number) {
    const m = await createTestMerchant();
    const template = await createTemplate(getDb(), m.actor, { name: "Coffee", kind: "loyalty" });
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    const rows = Array.from({ length: cardsCount }, () => ({ customer: { phone: uniquePhone() } }));
    await getDb().transaction((tx) => issueCardsBatch(tx, m.merchant.id, { template, definition: version.definition }, rows, staffActor(m.owner.id)));
    const send = await startCardSend(getDb(), m.actor, { channel: "sms", target: { filters: { templateId: template.id } }, locale: "ru" });
    const row = async () => (await getDb().select().from(cardSends).where(eq(cardSends.id, send.id)))[0];
    const waiting = async () => (await (await getBoss()).findJobs(QUEUES.cardSend, { key: send.id })).filter((j) => j.state === "created");
    return { send, row, waiting };
  }

  it("the sweep queues the next batch of a send with no progress for a minute (its job lost), and the progress page says it stalled", async () => {
    const { send, row, waiting } = await sendOf(3);
    const boss = await getBoss();
    for (const job of await waiting()) await boss.cancel(QUEUES.cardSend, job.id);
    expect(await runCardSendBatch(getDb(), send.id, 1)).toMatchObject({ more: true, queued: 1 });
    expect(isStalled(await row())).toBe(false);
    expect(await resumeStalledCardSends(getDb())).toBe(0);
    expect(await waiting()).toHaveLength(0);

    await getDb()
      .update(cardSends)
      .set({ updatedAt: new Date(Date.now() - STALLED_AFTER_MS - 1000) })
      .where(eq(cardSends.id, send.id));
    expect(isStalled(await row())).toBe(true);
    expect(await resumeStalledCardSends(getDb())).toBeGreaterThanOrEqual(1);
    expect(await waiting()).toHaveLength(1);

    await runCardSend(getDb(), send.id);
    expect(await row()).toMatchObject({ status: "done", processed: 3, queued: 3 });
    expect(isStalled(await row())).toBe(false);
  });

  it("two jobs on one send at once (a retry beside a slow first try) take turns at the checkpoint: every card once", async () => {
    const { send, row } = await sendOf(120);
    const [a, b] = await Promise.all([runCardSend(getDb(), send.id, 25), runCardSend(getDb(), send.id, 25)]);
    expect(a.queued + b.queued).toBe(120);
    expect(await row()).toMatchObject({ status: "done", processed: 120, queued: 120 });
    const perCard = await getDb()
      .select({ cardId: outboxMessages.cardId, n: count() })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.merchantId, (await row()).merchantId), eq(outboxMessages.kind, "card")))
      .groupBy(outboxMessages.cardId);
    expect(perCard).toHaveLength(120);
    expect(perCard.every((c) => c.n === 1)).toBe(true);
  });

  it("the next batch, a retry and the sweep's job for one send collapse into one waiting job", async () => {
    const { send, waiting } = await sendOf(1);
    await enqueueCardSendBatch(send.id);
    await enqueueCardSendBatch(send.id);
    expect(await waiting()).toHaveLength(1);
  });
});
