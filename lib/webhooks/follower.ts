import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { EVENT_NAMES, type EventName } from "@/lib/card-events/names";
import type { Follower } from "@/lib/card-events/types";
import { QUEUES } from "@/lib/jobs/queues";
import { isWebhookEventType } from "./catalogue";

/** The recorded events a webhook may carry: the catalogue's names the door knows. */
const WEBHOOK_EVENTS = new Set<EventName>(EVENT_NAMES.filter((name) => isWebhookEventType(name)));

/**
 * Webhooks follow the door: for each event, one delivery row per enabled endpoint of the merchant
 * that wants it, written in the change's own transaction (so a rolled-back change sends nothing and
 * a committed one is never lost). The body is fixed here, so every attempt signs the same bytes.
 * One statement however many events and endpoints; a merchant without endpoints costs one index probe.
 */
export const webhooksFollower: Follower = {
  name: "webhooks",
  follows: WEBHOOK_EVENTS,
  async follow(tx, ctx, events) {
    const rows = JSON.stringify(events.map((e) => ({ id: e.id, card_id: e.cardId, type: e.type, data: e.data ?? {} })));
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
  },
};
