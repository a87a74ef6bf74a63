import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";
import type { PushAudience, PushEvent } from "@/db/schema";
import { getSmsAdapter } from "@/lib/adapters";
import { queueMessages } from "@/lib/outbox";
import { audienceWhere } from "./audience";
import { merchantLocaleOf, smsNewsText, unsubscribeLink } from "./consent";

export type SmsEstimate = { phones: number; perMessageMinor: number; parts: number; totalMinor: number; currency: string };

/**
 * The cost of SMS news before sending: the merchant's provider prices one message as it would go out
 * (the text with its stop link, to one consenting phone of the audience) without sending it, times the
 * consenting phones. sms.ru (/sms/cost) and smsc.ru (send.php cost=1) both answer such a question.
 */
export async function estimateSmsNews(db: Db, merchantId: string, audience: PushAudience, message: string): Promise<SmsEstimate> {
  const [row] = rowsOf<{ phones: string | number; phone: string | null; customer_id: string | null }>(
    await db.execute(sql`
      select count(distinct u.id) as phones, min(u.phone) as phone, (array_agg(u.id order by u.phone))[1] as customer_id
      from cards c join customers u on u.id = c.customer_id and u.merchant_id = ${merchantId}::uuid
      where ${audienceWhere(merchantId, audience)} and u.marketing_consent and u.phone is not null`),
  );
  const phones = Number(row?.phones ?? 0);
  if (!phones || !row?.phone || !row.customer_id) return { phones: 0, perMessageMinor: 0, parts: 0, totalMinor: 0, currency: "RUB" };
  const adapter = await getSmsAdapter(db, merchantId);
  const text = smsNewsText(message, unsubscribeLink(merchantId, row.customer_id), await merchantLocaleOf(db, merchantId));
  const cost = adapter.cost ? await adapter.cost({ to: row.phone, text }) : { costMinor: 0, parts: 1, currency: "RUB" };
  return { phones, perMessageMinor: cost.costMinor, parts: cost.parts, totalMinor: cost.costMinor * phones, currency: cost.currency };
}

/**
 * One batch of SMS news, in the run's transaction: each consenting customer of these cards not yet
 * written to gets one outbox message (recipients' primary key makes a retried batch write none twice).
 * Returns the outbox ids to dispatch after commit.
 */
export async function queueSmsNews(tx: Db, row: PushEvent, cardIds: string[]): Promise<string[]> {
  if (!cardIds.length) return [];
  const fresh = rowsOf<{ customer_id: string; card_id: string; phone: string }>(
    await tx.execute(sql`
      insert into push_event_recipients (event_id, merchant_id, customer_id)
      select distinct on (u.id) ${row.id}::uuid, ${row.merchantId}::uuid, u.id
      from cards c join customers u on u.id = c.customer_id and u.merchant_id = ${row.merchantId}::uuid
      where c.merchant_id = ${row.merchantId}::uuid and c.id = any(${pgArray(cardIds)}::uuid[])
        and u.marketing_consent and u.phone is not null
      on conflict do nothing
      returning customer_id,
        (select c2.id from cards c2 where c2.customer_id = push_event_recipients.customer_id and c2.merchant_id = ${row.merchantId}::uuid
          and c2.id = any(${pgArray(cardIds)}::uuid[]) limit 1) as card_id,
        (select u2.phone from customers u2 where u2.id = push_event_recipients.customer_id and u2.merchant_id = ${row.merchantId}::uuid) as phone`),
  );
  if (!fresh.length) return [];
  const locale = await merchantLocaleOf(tx, row.merchantId);
  // One insert for the batch's texts and one update linking each customer to theirs.
  const ids = await queueMessages(
    tx,
    fresh.map((r) => ({
      merchantId: row.merchantId,
      channel: "sms" as const,
      kind: "card" as const,
      cardId: r.card_id,
      recipient: r.phone,
      body: smsNewsText(row.message, unsubscribeLink(row.merchantId, r.customer_id), locale),
    })),
  );
  await tx.execute(sql`
    update push_event_recipients r set outbox_id = v.outbox_id
    from unnest(${pgArray(fresh.map((r) => r.customer_id))}::uuid[], ${pgArray(ids)}::uuid[]) as v(customer_id, outbox_id)
    where r.event_id = ${row.id}::uuid and r.merchant_id = ${row.merchantId}::uuid and r.customer_id = v.customer_id`);
  return ids;
}

export type SmsFigures = { delivered: number; failed: number; inDoubt: number; cost: number };

/**
 * SMS figures of events from their messages, read when shown (the outbox learns a message's delivery
 * and its real cost after the run): delivered (or handed to the operator), failed, in doubt, real cost.
 * One query for a page of events; an event with no messages is absent from the map.
 */
export async function smsFigures(db: Db, merchantId: string, eventIds: readonly string[]): Promise<Map<string, SmsFigures>> {
  if (!eventIds.length) return new Map();
  const rows = rowsOf<{ event_id: string; delivered: string | number; failed: string | number; in_doubt: string | number; cost: string | number | null }>(
    await db.execute(sql`
      select r.event_id,
        count(*) filter (where o.status in ('sent', 'delivered')) as delivered,
        count(*) filter (where o.status = 'failed') as failed,
        count(*) filter (where o.status = 'in_doubt') as in_doubt,
        coalesce(sum(o.cost_minor), 0) as cost
      from push_event_recipients r join outbox_messages o on o.id = r.outbox_id and o.merchant_id = ${merchantId}::uuid
      where r.event_id = any(${pgArray(eventIds)}::uuid[]) and r.merchant_id = ${merchantId}::uuid
      group by r.event_id`),
  );
  return new Map(
    rows.map((r) => [r.event_id, { delivered: Number(r.delivered), failed: Number(r.failed), inDoubt: Number(r.in_doubt), cost: Number(r.cost ?? 0) }]),
  );
}
