import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { publicEventId, record } from "@/lib/card-events";
import { QUEUES } from "@/lib/jobs/queues";
import { scheduleWebhookRun } from "@/lib/webhooks/queue";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { killWorkerProcesses, startWorkerProcess } from "../support/spawn-worker";
import { createTestMerchant } from "../factories";

process.env.WEBHOOK_ALLOW_LOOPBACK = "true";
const EVENTS = 300;
afterEach(killWorkerProcesses);

// A worker killed with SIGKILL needs a second process and a server that outlives it: PostgreSQL only.
describe.skipIf(!process.env.DATABASE_URL)("webhooks survive a worker killed mid-send", () => {
  it("SIGKILL while requests are in flight: a new worker sends every event, a repeat carries the same webhook-id, nothing is lost", async () => {
    const m = await createTestMerchant();
    const seen = new Map<string, number>();
    let held: http.ServerResponse[] | null = [];
    let secret = "";
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        new Webhook(secret).verify(Buffer.concat(chunks).toString(), headers);
        seen.set(headers["webhook-id"], (seen.get(headers["webhook-id"]) ?? 0) + 1);
        // Until the kill, answers are held: the worker dies with its batch sent and not settled.
        if (held) held.push(res);
        else res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const created = await createEndpoint(getDb(), m.actor, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, events: ["*"] });
      secret = created.secret;
      await getDb().transaction((tx) =>
        record(
          tx,
          { merchantId: m.merchant.id, actor: { type: "system" } },
          Array.from({ length: EVENTS }, (_, i) => ({ type: "card.updated" as const, data: { seq: i } })),
        ),
      );

      const first = await startWorkerProcess([QUEUES.webhookDeliver]);
      await scheduleWebhookRun();
      await vi.waitFor(() => expect(seen.size).toBeGreaterThan(0), { timeout: 30_000, interval: 50 });
      first.kill("SIGKILL");
      await new Promise((resolve) => first.once("exit", resolve));
      const sentBeforeKill = seen.size;
      for (const res of held!) res.destroy();
      held = null;
      // Nothing the dead worker sent was settled.
      const [{ n: settled }] = rowsOf<{ n: number }>(await getDb().execute(sql`select count(*)::int as n from webhook_deliveries where status <> 'pending'`));
      expect(settled).toBe(0);

      // Its lease runs out (here at once, instead of in 30 s), and a new worker sends everything.
      await getDb().execute(sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending' and next_attempt_at > now()`);
      await startWorkerProcess([QUEUES.webhookDeliver]);
      await scheduleWebhookRun();
      await vi.waitFor(
        async () => {
          const [{ n }] = rowsOf<{ n: number }>(await getDb().execute(sql`select count(*)::int as n from webhook_deliveries where status = 'succeeded'`));
          expect(n).toBe(EVENTS);
        },
        { timeout: 90_000, interval: 250 },
      );
      const ids = rowsOf<{ id: string }>(await getDb().execute(sql`select id from card_events where merchant_id = ${m.merchant.id}::uuid`)).map((r) =>
        publicEventId(r.id),
      );
      expect(ids).toHaveLength(EVENTS);
      for (const id of ids) expect(seen.get(id), id).toBeGreaterThanOrEqual(1);
      // Only what the dead worker had in flight came twice, under its own id.
      const repeated = [...seen.values()].filter((n) => n > 1).length;
      expect(repeated).toBeGreaterThan(0);
      expect(repeated).toBeLessThanOrEqual(sentBeforeKill);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 180_000);
});
