import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { cardEvents, merchantNotifications, outboxMessages, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { publicEventId, record, withEvents } from "@/lib/card-events";
import { deliverWebhooks, LEASE_SECONDS, parseRetryAfter, retryDelaySeconds } from "@/lib/webhooks/deliver";
import { replayDelivery, replayFailedSince, sendTestEvent } from "@/lib/webhooks/deliveries";
import { createEndpoint, rotateEndpointSecret, updateEndpoint } from "@/lib/webhooks/endpoints";
import { MAX_RESPONSE_BYTES } from "@/lib/webhooks/send";
import { createTestCard, createTestMerchant } from "../factories";
import { startReceiver } from "../support/webhook-receiver";

process.env.WEBHOOK_ALLOW_LOOPBACK = "true";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(async () => {
  // Each test starts with nothing due from the ones before (they share the receiver).
  await getDb().execute(sql`update webhook_deliveries set status = 'failed', next_attempt_at = null where status = 'pending'`);
  receiver.received.length = 0;
  receiver.setReply((_r, res) => res.end("ok"));
});

const db = () => getDb();

async function setup(events: string[] = ["*"]) {
  const m = await createTestMerchant();
  const { endpoint, secret } = await createEndpoint(db(), m.actor, { url: receiver.url, events });
  return { m, endpoint, secret };
}

const deliveriesOf = (endpointId: string) => db().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
const dueNow = (endpointId: string) =>
  db().execute(sql`update webhook_deliveries set next_attempt_at = now() where endpoint_id = ${endpointId}::uuid and status = 'pending'`);

describe("webhooks — delivery", () => {
  it("sends a card's event signed as Standard Webhooks, with the event's evt_ id", async () => {
    const { m, endpoint, secret } = await setup(["card.issued"]);
    const { card } = await createTestCard(m);
    const stats = await deliverWebhooks(db());
    expect(stats.succeeded).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [req] = receiver.received;
    const payload = new Webhook(secret).verify(req.body, req.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(payload.type).toBe("card.issued");
    expect(payload.data.cardId).toBe(card.id);
    // The card as the REST API shows it.
    expect(payload.data.card).toMatchObject({ id: card.id, number: card.number, status: card.status, values: { balance: card.balance } });
    expect(new Date(payload.timestamp).toISOString()).toBe(payload.timestamp);
    const [event] = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "card.issued")));
    expect(req.headers["webhook-id"]).toBe(publicEventId(event.id));
    expect(req.headers["webhook-id"]).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["user-agent"]).toMatch(/CardDesk/);
    expect(Number(req.headers["webhook-timestamp"])).toBeCloseTo(Date.now() / 1000, -2);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200, lastResponseBody: "ok" });
    // A wrong secret does not verify: the check above could fail.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(req.body, req.headers)).toThrow();
  });

  it("keeps a body under 20 KB: data too large is cut to its ids", async () => {
    const { m, endpoint } = await setup();
    const { card } = await createTestCard(m);
    await withEvents(db(), (tx, rec) =>
      rec({ merchantId: m.merchant.id, actor: { type: "system" } }, [{ type: "card.updated", cardId: card.id, data: { note: "x".repeat(30_000) } }]),
    );
    const rows = await deliveriesOf(endpoint.id);
    const big = rows.find((r) => r.eventType === "card.updated")!;
    expect(Buffer.byteLength(big.body)).toBeLessThan(20 * 1024);
    expect(JSON.parse(big.body).data).toEqual({ cardId: card.id, truncated: true });
  });

  it("sends only the events an endpoint subscribes to", async () => {
    const { m, endpoint } = await setup(["points.accrued"]);
    await createTestCard(m);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(0);
  });

  it("signs with both secrets for a day after a rotation; each verifies", async () => {
    const { m, endpoint, secret: old } = await setup();
    const { secret: fresh } = await rotateEndpointSecret(db(), m.actor, endpoint.id);
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    await sendTestEvent(db(), m.merchant.id, endpoint.id);
    await deliverWebhooks(db());
    const [req] = receiver.received;
    expect(req.headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(old).verify(req.body, req.headers)).toMatchObject({ type: "webhook.test" });
    expect(new Webhook(fresh).verify(req.body, req.headers)).toMatchObject({ type: "webhook.test" });
    // Past the 24 hours only the new secret signs.
    await db().execute(sql`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ${endpoint.id}::uuid`);
    await sendTestEvent(db(), m.merchant.id, endpoint.id);
    await deliverWebhooks(db());
    const second = receiver.received[1];
    expect(second.headers["webhook-signature"].split(" ")).toHaveLength(1);
    expect(() => new Webhook(old).verify(second.body, second.headers)).toThrow();
    expect(new Webhook(fresh).verify(second.body, second.headers)).toBeTruthy();
  });

  it("retries a failed delivery on the schedule, with the same webhook-id and body", async () => {
    const { m, endpoint, secret } = await setup();
    let calls = 0;
    receiver.setReply((_r, res) => {
      calls += 1;
      res.statusCode = calls === 1 ? 500 : 200;
      res.end(calls === 1 ? "boom" : "ok");
    });
    await sendTestEvent(db(), m.merchant.id, endpoint.id);
    await deliverWebhooks(db());
    const [afterFirst] = await deliveriesOf(endpoint.id);
    expect(afterFirst).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastResponseBody: "boom" });
    const wait = (afterFirst.nextAttemptAt!.getTime() - Date.now()) / 1000;
    expect(wait).toBeGreaterThan(3);
    expect(wait).toBeLessThan(7);
    await dueNow(endpoint.id);
    await deliverWebhooks(db());
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].headers["webhook-id"]).toBe(receiver.received[0].headers["webhook-id"]);
    expect(receiver.received[1].body).toBe(receiver.received[0].body);
    new Webhook(secret).verify(receiver.received[1].body, receiver.received[1].headers);
    const [done] = await deliveriesOf(endpoint.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 2 });
    const [ep] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep).toMatchObject({ consecutiveFailures: 0, failingSince: null });
  });

  it("the schedule: 5 s, 5 min, 30 min … 24 h, with ±10% jitter; Retry-After as seconds or a date", () => {
    expect(retryDelaySeconds(1, () => 0.5)).toBe(5);
    expect(retryDelaySeconds(2, () => 0.5)).toBe(300);
    expect(retryDelaySeconds(9, () => 0.5)).toBe(86400);
    expect(retryDelaySeconds(3, () => 0)).toBe(1620);
    expect(retryDelaySeconds(3, () => 1)).toBe(1980);
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(55);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter("999999")).toBe(86400);
  });

  it("gives up after the tenth attempt", async () => {
    const { m, endpoint } = await setup();
    receiver.setReply((_r, res) => {
      res.statusCode = 500;
      res.end();
    });
    await sendTestEvent(db(), m.merchant.id, endpoint.id);
    await db().execute(sql`update webhook_deliveries set attempts = 9 where endpoint_id = ${endpoint.id}::uuid`);
    await deliverWebhooks(db());
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 10, nextAttemptAt: null });
  });

  it("honours Retry-After on 429, 502, 503 and 504", async () => {
    for (const status of [429, 503]) {
      const { m, endpoint } = await setup();
      receiver.setReply((_r, res) => {
        res.statusCode = status;
        res.setHeader("retry-after", "120");
        res.end();
      });
      await sendTestEvent(db(), m.merchant.id, endpoint.id);
      await deliverWebhooks(db());
      const [delivery] = await deliveriesOf(endpoint.id);
      const wait = (delivery.nextAttemptAt!.getTime() - Date.now()) / 1000;
      expect(delivery.status).toBe("pending");
      expect(wait).toBeGreaterThan(110);
      expect(wait).toBeLessThan(125);
    }
    // On a plain 500 Retry-After is not honoured: the schedule's 5 s.
    const { m, endpoint } = await setup();
    receiver.setReply((_r, res) => {
      res.statusCode = 500;
      res.setHeader("retry-after", "120");
      res.end();
    });
    await sendTestEvent(db(), m.merchant.id, endpoint.id);
    await deliverWebhooks(db());
    const [delivery] = await deliveriesOf(endpoint.id);
    expect((delivery.nextAttemptAt!.getTime() - Date.now()) / 1000).toBeLessThan(10);
  });

  it("410 Gone turns the endpoint off and tells the owners", async () => {
    const { m, endpoint } = await setup();
    receiver.setReply((_r, res) => {
      res.statusCode = 410;
      res.end();
    });
    await sendTestEvent(db(), m.merchant.id, endpoint.id);
    await deliverWebhooks(db());
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "failed", lastStatusCode: 410 });
    const [ep] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep).toMatchObject({ enabled: false, disabledReason: "gone" });
    const notes = await db().select().from(merchantNotifications).where(eq(merchantNotifications.merchantId, m.merchant.id));
    expect(notes.map((n) => n.kind)).toContain("webhookDisabled");
    // Events after that are not queued for it.
    await createTestCard(m);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
  });

  it("does not follow redirects: a 3xx is a failure", async () => {
    const { m, endpoint } = await setup();
    receiver.setReply((req, res) => {
      if (req.path === "/hook") {
        res.statusCode = 302;
        res.setHeader("location", "/elsewhere");
      }
      res.end();
    });
    await sendTestEvent(db(), m.merchant.id, endpoint.id);
    await deliverWebhooks(db());
    expect(receiver.received.map((r) => r.path)).toEqual(["/hook"]);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "pending", lastStatusCode: 302, attempts: 1 });
  });

  it("gives up on an answer that does not come in time, and keeps at most 64 KB of one that is too long", async () => {
    const { m, endpoint } = await setup();
    receiver.setReply(() => {}); // never answers
    await sendTestEvent(db(), m.merchant.id, endpoint.id);
    const started = Date.now();
    await deliverWebhooks(db(), { timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5000);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "pending", lastStatusCode: null });
    expect(delivery.lastError).toMatch(/timed out/);

    receiver.setReply((_r, res) => res.end("x".repeat(300 * 1024)));
    await dueNow(endpoint.id);
    await deliverWebhooks(db());
    const [long] = await deliveriesOf(endpoint.id);
    expect(long.status).toBe("succeeded");
    expect(long.lastResponseBody!.length).toBe(MAX_RESPONSE_BYTES);
  });

  it("tells the owners at 5, 10 and 15 failures in a row (top bar and e-mail), and turns the endpoint off after 5 days of failures", async () => {
    const { m, endpoint } = await setup();
    receiver.setReply((_r, res) => {
      res.statusCode = 500;
      res.end();
    });
    await db().update(webhookEndpoints).set({ consecutiveFailures: 4 }).where(eq(webhookEndpoints.id, endpoint.id));
    await sendTestEvent(db(), m.merchant.id, endpoint.id);
    await deliverWebhooks(db());
    const notes = await db().select().from(merchantNotifications).where(eq(merchantNotifications.merchantId, m.merchant.id));
    expect(notes.find((n) => n.kind === "webhookFailing")?.params).toMatchObject({ failures: 5, url: receiver.url });
    const mails = await db()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.merchantId, m.merchant.id), eq(outboxMessages.channel, "email")));
    expect(mails.some((mail) => mail.body.includes("failed 5 deliveries"))).toBe(true);

    await db().execute(sql`update webhook_endpoints set failing_since = now() - interval '6 days' where id = ${endpoint.id}::uuid`);
    await dueNow(endpoint.id);
    await deliverWebhooks(db());
    const [ep] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep).toMatchObject({ enabled: false, disabledReason: "failing" });
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery.status).toBe("failed");

    // Back on: what failed meanwhile is replayed, the same event.
    receiver.setReply((_r, res) => res.end("ok"));
    await updateEndpoint(db(), m.actor, endpoint.id, { enabled: true });
    expect(await replayFailedSince(db(), m.merchant.id, endpoint.id, new Date(Date.now() - 3600_000))).toBe(1);
    await deliverWebhooks(db());
    const [replayed] = await deliveriesOf(endpoint.id);
    expect(replayed.status).toBe("succeeded");
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
  });

  it("replays one delivery with the same webhook-id", async () => {
    const { m, endpoint } = await setup();
    const queued = await sendTestEvent(db(), m.merchant.id, endpoint.id);
    await deliverWebhooks(db());
    await replayDelivery(db(), m.merchant.id, queued.id);
    await deliverWebhooks(db());
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].headers["webhook-id"]).toBe(receiver.received[0].headers["webhook-id"]);
  });

  it("a rolled-back change leaves no delivery", async () => {
    const { m, endpoint } = await setup();
    const { card } = await createTestCard(m);
    const before = (await deliveriesOf(endpoint.id)).length;
    await expect(
      db().transaction(async (tx) => {
        await record(tx, { merchantId: m.merchant.id, actor: { type: "system" } }, [{ type: "card.blocked", cardId: card.id }]);
        expect(rowsOf(await tx.execute(sql`select 1 from webhook_deliveries where endpoint_id = ${endpoint.id}::uuid`))).toHaveLength(before + 1);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await deliveriesOf(endpoint.id)).toHaveLength(before);
  });

  it("a worker that dies holding a batch loses nothing: its lease runs out and another sends it", async () => {
    const { m, endpoint, secret } = await setup();
    for (let i = 0; i < 3; i++) await createTestCard(m);
    // A worker claims the batch (as deliverWebhooks does) and dies before sending.
    const claimed = rowsOf(
      await db().execute(sql`
        update webhook_deliveries set next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
        where endpoint_id = ${endpoint.id}::uuid and status = 'pending' returning id`),
    );
    expect(claimed).toHaveLength(3);
    // While the lease holds nobody else sends them (no duplicate) …
    await deliverWebhooks(db());
    expect(receiver.received).toHaveLength(0);
    // … and once it has run out, the next run sends every one.
    await db().execute(sql`update webhook_deliveries set next_attempt_at = now() - interval '1 second' where endpoint_id = ${endpoint.id}::uuid`);
    await deliverWebhooks(db());
    expect(receiver.received).toHaveLength(3);
    for (const r of receiver.received) new Webhook(secret).verify(r.body, r.headers);
    expect((await deliveriesOf(endpoint.id)).every((d) => d.status === "succeeded")).toBe(true);
  });

  it("a receiver answering with a NUL byte settles like any other, and never holds back another merchant's delivery in its batch", async () => {
    const attacker = await setup(["card.issued"]);
    const victim = await startReceiver();
    try {
      const v = await createTestMerchant();
      const { endpoint: victimEndpoint } = await createEndpoint(db(), v.actor, { url: victim.url, events: ["card.issued"] });
      receiver.setReply((_r, res) => res.end("ok\u0000"));
      await createTestCard(attacker.m);
      await createTestCard(v);
      await deliverWebhooks(db());
      const [mine] = await deliveriesOf(attacker.endpoint.id);
      expect(mine).toMatchObject({ status: "succeeded", lastResponseBody: "ok\uFFFD" });
      expect(await deliveriesOf(victimEndpoint.id)).toMatchObject([{ status: "succeeded", attempts: 1 }]);
      expect(victim.received).toHaveLength(1);

      // A refusal with a NUL in it is stored too, and retried as any refusal is.
      receiver.setReply((_r, res) => {
        res.statusCode = 500;
        res.end("bad\u0000");
      });
      await createTestCard(attacker.m);
      await deliverWebhooks(db());
      const failed = (await deliveriesOf(attacker.endpoint.id)).find((d) => d.status === "pending");
      expect(failed).toMatchObject({ attempts: 1, lastStatusCode: 500, lastResponseBody: "bad\uFFFD" });
    } finally {
      await victim.close();
    }
  });
});
