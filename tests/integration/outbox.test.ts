import { eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";
import { consoleEmailAdapter } from "@/lib/adapters/email/console";
import { consoleSmsAdapter } from "@/lib/adapters/sms/console";
import { ProviderError } from "@/lib/adapters/types";
import { QUEUES } from "@/lib/jobs/queues";
import { startWorker } from "@/lib/jobs/worker";
import { listMerchantMessages } from "@/lib/messaging/messages";
import {
  FAN_OUT_AT,
  IN_DOUBT_REASON,
  STUCK_SENDING_MS,
  deliverMessage,
  dispatchOutbox,
  dispatchOutboxMany,
  fanOutOutbox,
  queueMessage,
  sweepOutbox,
} from "@/lib/outbox";
import { listMessagesQuerySchema } from "@/lib/validations/messaging";
import { createTestMerchant } from "../factories";

const status = async (id: string) => (await getDb().select().from(outboxMessages).where(eq(outboxMessages.id, id)))[0];

afterEach(() => vi.restoreAllMocks());

describe("outbox", () => {
  it("the worker delivers a dispatched message through the console adapter and marks it sent", async () => {
    const { merchant } = await createTestMerchant();
    await startWorker({ only: [QUEUES.outboxSend, QUEUES.outboxSweep] });
    const id = await queueMessage(getDb(), { merchantId: merchant.id, channel: "sms", recipient: "+79990000000", body: "Your code is 123456" });
    await dispatchOutbox([id]);
    await vi.waitFor(async () => expect((await status(id)).status).toBe("sent"), { timeout: 20_000, interval: 200 });
    const sent = await status(id);
    expect(sent).toMatchObject({ provider: "console", attempts: 1, error: null });
    expect(sent.providerMessageId).toMatch(/^console-/);
    expect(sent.sentAt).toBeInstanceOf(Date);
  });

  it("keeps a temporarily failing message queued with the reason, so the job retries", async () => {
    const { merchant } = await createTestMerchant();
    vi.spyOn(consoleEmailAdapter, "send").mockRejectedValueOnce(new ProviderError("503 from provider", true));
    const id = await queueMessage(getDb(), { merchantId: merchant.id, channel: "email", recipient: "a@example.com", subject: "Hi", body: "Hello" });
    await expect(deliverMessage(id)).rejects.toThrow("503 from provider");
    expect(await status(id)).toMatchObject({ status: "queued", attempts: 1, error: "503 from provider" });
    await deliverMessage(id);
    expect(await status(id)).toMatchObject({ status: "sent", attempts: 2, error: null });
  });

  it("fails a message at once on a permanent refusal, and on the last retry", async () => {
    const { merchant } = await createTestMerchant();
    vi.spyOn(consoleEmailAdapter, "send").mockRejectedValue(new ProviderError("invalid recipient", false));
    const id = await queueMessage(getDb(), { merchantId: merchant.id, channel: "email", recipient: "bad", subject: "Hi", body: "Hello" });
    await deliverMessage(id);
    expect(await status(id)).toMatchObject({ status: "failed", error: "invalid recipient" });

    vi.spyOn(consoleEmailAdapter, "send").mockRejectedValue(new Error("socket hang up"));
    const other = await queueMessage(getDb(), { merchantId: merchant.id, channel: "email", recipient: "a@example.com", subject: "Hi", body: "Hello" });
    await deliverMessage(other, { isLast: true });
    expect(await status(other)).toMatchObject({ status: "failed", error: "socket hang up" });
  });

  it("never sends a message twice, even when two jobs deliver it at once", async () => {
    const { merchant } = await createTestMerchant();
    const send = vi.spyOn(consoleEmailAdapter, "send");
    const id = await queueMessage(getDb(), { merchantId: merchant.id, channel: "email", recipient: "a@example.com", subject: "Hi", body: "Hello" });
    await Promise.all([deliverMessage(id), deliverMessage(id), deliverMessage(id)]);
    await deliverMessage(id);
    expect(send).toHaveBeenCalledTimes(1);
    expect(await status(id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("the sweep marks a message a crashed worker left sending as in doubt: never sent again, and the merchant can find it", async () => {
    const { merchant } = await createTestMerchant();
    const send = vi.spyOn(consoleSmsAdapter, "send");
    const id = await queueMessage(getDb(), { merchantId: merchant.id, channel: "sms", recipient: "+79990000002", body: "Half sent" });
    // Claimed by a worker that died before recording the provider's answer.
    await getDb()
      .update(outboxMessages)
      .set({ status: "sending", attempts: 1, updatedAt: new Date(Date.now() - STUCK_SENDING_MS - 1000) })
      .where(eq(outboxMessages.id, id));
    await sweepOutbox();
    expect(await status(id)).toMatchObject({ status: "in_doubt", error: IN_DOUBT_REASON, attempts: 1 });
    // A late job for it (the pg-boss retry of the dead worker's job) does not send it again.
    await deliverMessage(id);
    await sweepOutbox(0);
    expect(send).not.toHaveBeenCalled();
    expect(await status(id)).toMatchObject({ status: "in_doubt", attempts: 1 });
    const listed = await listMerchantMessages(getDb(), merchant.id, listMessagesQuerySchema.parse({ status: "in_doubt" }), { page: 1 });
    expect(listed.rows.map((r) => r.id)).toEqual([id]);
  });

  it("the sweep leaves a message a live worker is still sending", async () => {
    const { merchant } = await createTestMerchant();
    const id = await queueMessage(getDb(), { merchantId: merchant.id, channel: "sms", recipient: "+79990000003", body: "Being sent" });
    await getDb().update(outboxMessages).set({ status: "sending" }).where(eq(outboxMessages.id, id));
    await sweepOutbox(0);
    expect((await status(id)).status).toBe("sending");
  });

  it("the sweep re-dispatches messages left queued, oldest first", async () => {
    const { merchant } = await createTestMerchant();
    const id = await queueMessage(getDb(), { merchantId: merchant.id, channel: "sms", recipient: "+79990000001", body: "Lost hand-off" });
    // Its hand-off was lost long ago: the oldest queued message, so within the sweep's batch whatever
    // other tests left queued meanwhile. (Delivery by the worker is the first test's.)
    await getDb()
      .update(outboxMessages)
      .set({ updatedAt: new Date("2000-01-01T00:00:00Z") })
      .where(eq(outboxMessages.id, id));
    const jobsFor = async () =>
      rowsOf<{ n: number }>(await getDb().execute(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.outboxSend} and data->>'id' = ${id}`))[0]
        .n;
    expect(await jobsFor()).toBe(0);
    expect(await sweepOutbox(0)).toBeGreaterThanOrEqual(1);
    expect(await jobsFor()).toBe(1);
  });

  it("a bulk batch's messages are handed to the worker as one fan-out job, which makes their send jobs", async () => {
    const { merchant } = await createTestMerchant();
    const ids: string[] = [];
    for (let i = 0; i < FAN_OUT_AT + 20; i++)
      ids.push(await queueMessage(getDb(), { merchantId: merchant.id, channel: "sms", recipient: "+79990000002", body: `Bulk ${i}` }));
    const count = async (name: string, where = sql`true`) =>
      rowsOf<{ n: number }>(await getDb().execute(sql`select count(*)::int as n from pgboss.job where name = ${name} and ${where}`))[0].n;
    const mine = sql`data->>'id' = any(${`{${ids.join(",")}}`}::text[])`;
    await dispatchOutboxMany(ids);
    expect(await count(QUEUES.outboxSend, mine)).toBe(0);
    const [job] = rowsOf<{ data: { ids: string[] } }>(await getDb().execute(sql`select data from pgboss.job where name = ${QUEUES.outboxFanOut}`));
    expect(job.data.ids).toEqual(ids);
    await fanOutOutbox(job.data.ids);
    expect(await count(QUEUES.outboxSend, mine)).toBe(ids.length);
    // A few go straight to their send jobs.
    const few = [await queueMessage(getDb(), { merchantId: merchant.id, channel: "sms", recipient: "+79990000003", body: "One" })];
    await dispatchOutboxMany(few);
    expect(await count(QUEUES.outboxSend, sql`data->>'id' = ${few[0]}`)).toBe(1);
  });
});
