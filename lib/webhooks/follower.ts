import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { reusableSql } from "@/db/reusable";
import { rowsOf } from "@/db/rows";
import { cards as cardsTable, customers, webhookEndpoints } from "@/db/schema";
import { EVENT_NAMES, type EventName } from "@/lib/card-events/names";
import type { EventContext, Follower, RecordedEvent } from "@/lib/card-events/types";
import { QUEUES } from "@/lib/jobs/queues";
import { ALL_EVENTS, isWebhookEventType } from "./catalogue";

/** A body stays under 20 KB: data that would not fit is cut to the ids, with `truncated`, and the receiver reads the rest from the API. */
export const MAX_DATA_BYTES = 19 * 1024;

export function withinBodyLimit(data: Record<string, unknown>): Record<string, unknown> {
  if (Buffer.byteLength(JSON.stringify(data)) <= MAX_DATA_BYTES) return data;
  const ids = Object.fromEntries(Object.entries(data).filter(([k, v]) => /Id$/.test(k) && typeof v === "string"));
  return { ...ids, truncated: true };
}

/** `card.*` events carry the card as GET /api/v1/cards/{id} shows it, as it is in the event's transaction. */
async function cardsAsTheApiShowsThem(tx: Db, merchantId: string, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (!ids.length) return out;
  // Loaded lazily: lib/api/cards reaches lib/cards, which records events through this door.
  const { presentCard } = await import("@/lib/api/cards");
  const rows = await tx
    .select({ card: cardsTable, customer: customers })
    .from(cardsTable)
    .leftJoin(customers, and(eq(customers.id, cardsTable.customerId), eq(customers.merchantId, merchantId)))
    .where(and(eq(cardsTable.merchantId, merchantId), inArray(cardsTable.id, [...new Set(ids)])));
  for (const row of rows) out.set(row.card.id, presentCard(row));
  return out;
}

/** The recorded events a webhook may carry: the catalogue's names the door knows. */
const WEBHOOK_EVENTS = new Set<EventName>(EVENT_NAMES.filter((name) => isWebhookEventType(name)));

/**
 * Webhooks follow the door: for each event, one delivery row per enabled endpoint of the merchant
 * that wants it, written in the change's own transaction (so a rolled-back change sends nothing and
 * a committed one is never lost). The body is fixed here, so every attempt signs the same bytes.
 * A merchant without endpoints costs one index probe; with them, one insert however many events and
 * endpoints (and one read of the cards `card.*` events carry).
 */
// Built once (db/reusable): every ledger movement and card change asks it.
// The probe is sent with the events' insert (the door's RideAlong): a merchant without endpoints pays no round trip of its own.
const ENABLED_ENDPOINTS = sql`select ${webhookEndpoints.events} as events from ${webhookEndpoints} where ${webhookEndpoints.merchantId} = ${sql.placeholder("merchantId")}::uuid and ${webhookEndpoints.enabled}`;
const enabledEndpoints = reusableSql<{ merchantId: string }>(ENABLED_ENDPOINTS);

export const webhooksFollower: Follower = {
  name: "webhooks",
  follows: WEBHOOK_EVENTS,
  rideAlong: {
    sql: ENABLED_ENDPOINTS,
    values: () => ({}),
    after: (tx, ctx, events, endpoints) => deliver(tx, ctx, events, endpoints as { events: string[] }[]),
  },
  async follow(tx, ctx, events) {
    // Which events some enabled endpoint wants: a merchant without endpoints stops at this one probe.
    return deliver(tx, ctx, events, rowsOf<{ events: string[] }>(await enabledEndpoints(tx, { merchantId: ctx.merchantId })));
  },
};

/** One delivery row per event and enabled endpoint that wants it (`endpoints`: what each enabled one wants). */
async function deliver(tx: Db, ctx: EventContext, events: RecordedEvent[], endpoints: { events: string[] }[]): Promise<string[]> {
  const wanted = events.filter((e) => endpoints.some((ep) => ep.events.includes(ALL_EVENTS) || ep.events.includes(e.type)));
  if (!wanted.length) return [];
  const cards = await cardsAsTheApiShowsThem(
    tx,
    ctx.merchantId,
    wanted.flatMap((e) => (e.type.startsWith("card.") && e.cardId ? [e.cardId] : [])),
  );
  const rows = JSON.stringify(
    wanted.map((e) => {
      const card = e.cardId ? cards.get(e.cardId) : undefined;
      return { id: e.id, card_id: e.cardId, type: e.type, data: withinBodyLimit({ ...(e.data ?? {}), ...(card && { card }) }) };
    }),
  );
  const [inserted] = rowsOf<{ n: number }>(
    await tx.execute(sql`
        with ins as (
          insert into webhook_deliveries (merchant_id, endpoint_id, event_id, event_type, body)
          select e.merchant_id, e.id, r.id, r.type,
            jsonb_build_object(
              'type', r.type,
              'timestamp', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'data', case when r.card_id is null then r.data else jsonb_build_object('cardId', r.card_id) || r.data end
            )::text
          from webhook_endpoints e cross join jsonb_to_recordset(${rows}::jsonb) as r(id uuid, card_id uuid, type text, data jsonb)
          where e.merchant_id = ${ctx.merchantId}::uuid and e.enabled and (e.events ? '*' or e.events ? r.type)
          returning 1)
        select count(*)::int as n from ins`),
  );
  return Number(inserted?.n ?? 0) > 0 ? [QUEUES.webhookDeliver] : [];
}
