import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, getTableColumns, gte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { keysetPage, keysetTime, olderThan, type TimeKeyset } from "@/db/keyset";
import { webhookDeliveries, type WebhookDelivery } from "@/db/schema";
import { publicEventId } from "@/lib/card-events/public-id";
import { AppError, NotFoundError } from "@/lib/errors";
import { webhookExample } from "./catalogue";
import { getEndpointOrThrow } from "./endpoints";
import { scheduleWebhookRun } from "./queue";

/** How much of a request or an answer body the log shows. */
export const LOG_BODY_CHARS = 4096;
const clip = (text: string | null) => (text === null ? null : text.length > LOG_BODY_CHARS ? `${text.slice(0, LOG_BODY_CHARS)}…` : text);

export type DeliveryView = {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: WebhookDelivery["status"];
  attempts: number;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
  requestBody: string;
  responseBody: string | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
};

export function presentDelivery(row: WebhookDelivery): DeliveryView {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventId: publicEventId(row.eventId),
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    statusCode: row.lastStatusCode,
    durationMs: row.lastDurationMs,
    error: row.lastError,
    requestBody: clip(row.body)!,
    responseBody: clip(row.lastResponseBody),
    nextAttemptAt: row.status === "pending" ? (row.nextAttemptAt?.toISOString() ?? null) : null,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Sends a `webhook.test` event to one endpoint (whatever it subscribes to), through the same queue. */
export async function sendTestEvent(db: Db, merchantId: string, endpointId: string): Promise<WebhookDelivery> {
  const endpoint = await getEndpointOrThrow(db, merchantId, endpointId);
  if (!endpoint.enabled) throw new AppError("conflict", "webhooks.errors.disabled");
  const body = JSON.stringify({ ...webhookExample("webhook.test"), timestamp: new Date().toISOString() });
  const [row] = await db.insert(webhookDeliveries).values({ merchantId, endpointId, eventId: randomUUID(), eventType: "webhook.test", body }).returning();
  await scheduleWebhookRun();
  return row;
}

export type DeliveryKeyset = TimeKeyset;
export type DeliveryFilters = { status?: WebhookDelivery["status"]; eventType?: string; after?: DeliveryKeyset; limit: number };

/** An endpoint's deliveries, newest first, a page at a time. */
export async function listDeliveries(db: Db, merchantId: string, endpointId: string, filters: DeliveryFilters) {
  await getEndpointOrThrow(db, merchantId, endpointId);
  const t = webhookDeliveries;
  const rows = await db
    .select({ ...getTableColumns(t), cursorAt: keysetTime(t.createdAt) })
    .from(t)
    .where(
      and(
        eq(t.merchantId, merchantId),
        eq(t.endpointId, endpointId),
        filters.status ? eq(t.status, filters.status) : undefined,
        filters.eventType ? eq(t.eventType, filters.eventType) : undefined,
        olderThan(t.createdAt, t.id, filters.after),
      ),
    )
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(filters.limit + 1);
  return keysetPage(rows, filters.limit);
}

export async function getDeliveryOrThrow(db: Db, merchantId: string, id: string): Promise<WebhookDelivery> {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.merchantId, merchantId)));
  if (!row) throw new NotFoundError();
  return row;
}

/** Sends one delivery again, now: the same body and the same `webhook-id`, a fresh round of attempts. */
export async function replayDelivery(db: Db, merchantId: string, id: string): Promise<WebhookDelivery> {
  const delivery = await getDeliveryOrThrow(db, merchantId, id);
  const endpoint = await getEndpointOrThrow(db, merchantId, delivery.endpointId);
  if (!endpoint.enabled) throw new AppError("conflict", "webhooks.errors.disabled");
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.merchantId, merchantId)))
    .returning();
  await scheduleWebhookRun();
  return row;
}

/** Every failed delivery of an endpoint since a time, sent again; returns how many. */
export async function replayFailedSince(db: Db, merchantId: string, endpointId: string, since: Date): Promise<number> {
  const endpoint = await getEndpointOrThrow(db, merchantId, endpointId);
  if (!endpoint.enabled) throw new AppError("conflict", "webhooks.errors.disabled");
  const rows = await db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(webhookDeliveries.merchantId, merchantId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.status, "failed"),
        gte(webhookDeliveries.createdAt, since),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  if (rows.length) await scheduleWebhookRun();
  return rows.length;
}

/** Counts by status for the endpoint's page (the replay's progress is its pending count going down). */
export async function deliveryCounts(db: Db, merchantId: string, endpointId: string): Promise<Record<WebhookDelivery["status"], number>> {
  const rows = await db
    .select({ status: webhookDeliveries.status, n: sql<number>`count(*)::int` })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.merchantId, merchantId), eq(webhookDeliveries.endpointId, endpointId)))
    .groupBy(webhookDeliveries.status);
  const out = { pending: 0, succeeded: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}
