import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { localeOfCountry } from "@/i18n/config";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { cards, pushTriggerRules, type PushTriggerRule, type TriggerKind } from "@/db/schema";
import { nextUpdateTag } from "@/db/queries/card-status";
import { record } from "@/lib/card-events";
import { AppError, NotFoundError } from "@/lib/errors";
import { dispatchOutbox, queueMessage } from "@/lib/outbox";
import { isUuid } from "@/lib/validations/common";
import { queueWalletUpdates } from "@/lib/wallet/queue";
import { smsNewsText, unsubscribeLink } from "./consent";
import { fromZonedInput, hourIn, inQuietHours, ruleQuietHours, toZonedInput } from "./zone";

export type TriggerRuleInput = {
  kind: TriggerKind;
  channel: "push" | "sms";
  message: string;
  days: number;
  hour: number;
  limitPerCard: number;
  /** The rule's own quiet hours; both null: the merchant's apply. */
  quietFrom?: number | null;
  quietTo?: number | null;
  enabled?: boolean;
};

/**
 * Rules a merchant may keep. The hourly scan runs a statement per rule for every merchant in one job,
 * so without a bound one merchant's thousands of rules would hold up everyone's messages.
 */
export const MAX_TRIGGER_RULES = 50;

export async function createTriggerRule(db: Db, merchantId: string, input: TriggerRuleInput): Promise<PushTriggerRule> {
  const [{ n }] = rowsOf<{ n: number | string }>(await db.execute(sql`select count(*) as n from push_trigger_rules where merchant_id = ${merchantId}::uuid`));
  if (Number(n) >= MAX_TRIGGER_RULES)
    throw new AppError("validation", "pushEvents.errors.tooManyRules", { kind: "pushEvents.errors.tooManyRules" }, { max: MAX_TRIGGER_RULES });
  const [row] = await db
    .insert(pushTriggerRules)
    .values({ merchantId, ...input })
    .returning();
  return row;
}

export async function getTriggerRuleOrThrow(db: Db, merchantId: string, id: string): Promise<PushTriggerRule> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(pushTriggerRules)
        .where(and(eq(pushTriggerRules.id, id), eq(pushTriggerRules.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * Changes a rule (the cabinet's edit form, the API's PATCH: only what is given changes). Sends already
 * written keep their occasion, so a rule edited mid-day does not fire twice for the same card; the next
 * ones carry the new message, days and hour. A disabled rule writes no new sends.
 */
export async function updateTriggerRule(db: Db, merchantId: string, id: string, patch: Partial<TriggerRuleInput>): Promise<PushTriggerRule> {
  if (!Object.keys(patch).length) return getTriggerRuleOrThrow(db, merchantId, id);
  const [row] = isUuid(id)
    ? await db
        .update(pushTriggerRules)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(and(eq(pushTriggerRules.id, id), eq(pushTriggerRules.merchantId, merchantId)))
        .returning()
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

export async function listTriggerRules(db: Db, merchantId: string): Promise<PushTriggerRule[]> {
  return db.select().from(pushTriggerRules).where(eq(pushTriggerRules.merchantId, merchantId)).orderBy(desc(pushTriggerRules.createdAt));
}

export async function deleteTriggerRule(db: Db, merchantId: string, id: string): Promise<void> {
  const gone = isUuid(id)
    ? await db
        .delete(pushTriggerRules)
        .where(and(eq(pushTriggerRules.id, id), eq(pushTriggerRules.merchantId, merchantId)))
        .returning({ id: pushTriggerRules.id })
    : [];
  if (!gone.length) throw new NotFoundError();
}

/**
 * The daily part, run hourly: birthdays (due at the rule's hour on the day, in the merchant's zone),
 * N days without a purchase, and points expiring within N days each write one send per card and
 * occasion. Running it again writes nothing new.
 */
export async function scanTriggers(db: Db, now = new Date()): Promise<number> {
  const rules = rowsOf<{ id: string; merchant_id: string; kind: TriggerKind; days: number; hour: number; time_zone: string }>(
    await db.execute(sql`
      select r.id, r.merchant_id, r.kind, r.days, r.hour, m.time_zone from push_trigger_rules r join merchants m on m.id = r.merchant_id
      where r.enabled and r.kind in ('birthday', 'inactive', 'points_expiring')`),
  );
  let written = 0;
  const at = now.toISOString();
  for (const r of rules) {
    const m = r.merchant_id;
    let rows: unknown[] = [];
    if (r.kind === "birthday") {
      const today = toZonedInput(r.time_zone, now).slice(0, 10);
      const due = fromZonedInput(r.time_zone, `${today}T${String(r.hour).padStart(2, "0")}:00`) ?? now;
      rows = rowsOf(
        await db.execute(sql`
          insert into push_trigger_sends (merchant_id, rule_id, card_id, occasion, due_at)
          select ${m}::uuid, ${r.id}::uuid, c.id, ${`birthday:${today.slice(0, 4)}`}, ${due.toISOString()}::timestamptz
          from cards c join customers u on u.id = c.customer_id and u.merchant_id = ${m}::uuid
          where c.merchant_id = ${m}::uuid and c.status not in ('blocked', 'expired')
            and to_char(u.birthday, 'MM-DD') = ${today.slice(5)}
          on conflict do nothing returning id`),
      );
    } else if (r.kind === "inactive") {
      rows = rowsOf(
        await db.execute(sql`
          insert into push_trigger_sends (merchant_id, rule_id, card_id, occasion)
          select ${m}::uuid, ${r.id}::uuid, c.id, 'since:' || coalesce(
            (select max(t.created_at)::date::text from ledger_transactions t where t.card_id = c.id and t.merchant_id = ${m}::uuid and t.type in ('purchase', 'accrue')),
            c.created_at::date::text)
          from cards c
          where c.merchant_id = ${m}::uuid and c.status not in ('blocked', 'expired')
            and c.created_at <= ${at}::timestamptz - make_interval(days => ${r.days})
            and not exists (select 1 from ledger_transactions t where t.card_id = c.id and t.merchant_id = ${m}::uuid
              and t.type in ('purchase', 'accrue') and t.created_at > ${at}::timestamptz - make_interval(days => ${r.days}))
          on conflict do nothing returning id`),
      );
    } else {
      rows = rowsOf(
        await db.execute(sql`
          insert into push_trigger_sends (merchant_id, rule_id, card_id, occasion)
          select ${m}::uuid, ${r.id}::uuid, l.card_id, 'expiring:' || min(l.expires_at)::date::text
          from ledger_movements l join cards c on c.id = l.card_id and c.merchant_id = ${m}::uuid
          where l.remaining > 0
            and l.expires_at > ${at}::timestamptz and l.expires_at <= ${at}::timestamptz + make_interval(days => ${r.days})
          group by l.card_id
          on conflict do nothing returning id`),
      );
    }
    written += rows.length;
  }
  return written;
}

const LIMIT_WINDOW_DAYS = 30;
/** Sends taken at a time, and at most this many of one merchant's among them: a merchant with a flood of due sends takes its turn with the rest. */
const PAGE = 200;
const PER_MERCHANT = 50;
/** How long one job keeps taking pages (its expiry is minutes away); what is left waits for the next run. */
const DELIVER_FOR_MS = 60_000;

/** The first moment at hour `to` in the zone after `now`: when quiet hours that end at `to` are over. */
export function quietEnd(timeZone: string, to: number, now: Date): Date {
  const day = toZonedInput(timeZone, now).slice(0, 10);
  const at = (date: string) => fromZonedInput(timeZone, `${date}T${String(to).padStart(2, "0")}:00`) ?? now;
  const today = at(day);
  if (today > now) return today;
  const next = new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10) + 1)).toISOString().slice(0, 10);
  return at(next);
}

/**
 * Sends what is due: each pending send, unless it is in quiet hours (the rule's own, else the
 * merchant's: it waits until they end) or the card
 * has had the rule's limit in 30 days (skipped). A push writes the message into the card's news field
 * (its wallets are told through the normal update path); an SMS goes only to a consenting holder.
 * Each send is in the card's history (`push.delivered` with the rule) and the rule's figures.
 */
export async function deliverTriggerSends(db: Db, now = new Date()): Promise<{ sent: number; skipped: number; waiting: number; more: boolean }> {
  const due = rowsOf<{
    id: string;
    merchant_id: string;
    rule_id: string;
    card_id: string;
    channel: "push" | "sms";
    message: string;
    limit_per_card: number;
    enabled: boolean;
    quiet_from: number | null;
    quiet_to: number | null;
    rule_quiet_from: number | null;
    rule_quiet_to: number | null;
    time_zone: string;
    country: string;
  }>(
    await db.execute(sql`
      select s.id, s.merchant_id, s.rule_id, s.card_id, r.channel, r.message, r.limit_per_card, r.enabled, q.quiet_from, q.quiet_to,
        r.quiet_from as rule_quiet_from, r.quiet_to as rule_quiet_to, m.time_zone, m.country
      from push_trigger_sends s
      join push_trigger_rules r on r.id = s.rule_id and r.merchant_id = s.merchant_id
      join merchants m on m.id = s.merchant_id
      left join push_settings q on q.merchant_id = s.merchant_id
      where s.id in (
        select id from (
          select p.id, p.due_at, row_number() over (partition by p.merchant_id order by p.due_at, p.id) as nth
          from push_trigger_sends p where p.status = 'pending' and p.due_at <= ${now.toISOString()}::timestamptz) page
        where page.nth <= ${PER_MERCHANT} order by page.due_at, page.id limit ${PAGE})
      order by s.due_at, s.id`),
  );
  const outcome = { sent: 0, skipped: 0, waiting: 0, more: false };
  const outboxIds: string[] = [];
  for (const s of due) {
    const quiet = ruleQuietHours({ from: s.rule_quiet_from, to: s.rule_quiet_to }, { from: s.quiet_from, to: s.quiet_to });
    if (inQuietHours(hourIn(s.time_zone, now), quiet.from, quiet.to)) {
      // Out of the way until its quiet hours end, so sends that may go now are not stuck behind it.
      await db.execute(
        sql`update push_trigger_sends set due_at = ${quietEnd(s.time_zone, quiet.to!, now).toISOString()}::timestamptz where id = ${s.id}::uuid and status = 'pending'`,
      );
      outcome.waiting += 1;
      continue;
    }
    await db.transaction(async (tx) => {
      const [locked] = rowsOf(await tx.execute(sql`select id from push_trigger_sends where id = ${s.id}::uuid and status = 'pending' for update skip locked`));
      if (!locked) return;
      const skip = async (reason: string) => {
        await tx.execute(
          sql`update push_trigger_sends set status = 'skipped', reason = ${reason}, sent_at = ${now.toISOString()}::timestamptz where id = ${s.id}::uuid`,
        );
        outcome.skipped += 1;
      };
      const [{ n }] = rowsOf<{ n: string | number }>(
        await tx.execute(sql`
          select count(*) as n from push_trigger_sends where rule_id = ${s.rule_id}::uuid and card_id = ${s.card_id}::uuid and status = 'sent'
            and sent_at > ${now.toISOString()}::timestamptz - make_interval(days => ${LIMIT_WINDOW_DAYS})`),
      );
      if (Number(n) >= s.limit_per_card) return skip("limit");
      // Paused after the send was written: it does not go.
      if (!s.enabled) return skip("disabled");
      if (s.channel === "push") {
        const updated = await tx
          .update(cards)
          .set({ news: s.message, updateTag: nextUpdateTag, updatedAt: sql`now()` })
          .where(and(eq(cards.id, s.card_id), eq(cards.merchantId, s.merchant_id)))
          .returning({ id: cards.id });
        if (!updated.length) return skip("card gone");
        await queueWalletUpdates(tx, s.merchant_id, { cardIds: [s.card_id] });
      } else {
        const [holder] = rowsOf<{ id: string; phone: string }>(
          await tx.execute(sql`
            select u.id, u.phone from cards c join customers u on u.id = c.customer_id and u.merchant_id = ${s.merchant_id}::uuid
            where c.id = ${s.card_id}::uuid and c.merchant_id = ${s.merchant_id}::uuid and u.marketing_consent and u.phone is not null`),
        );
        if (!holder) return skip("no consent");
        outboxIds.push(
          await queueMessage(tx, {
            merchantId: s.merchant_id,
            channel: "sms",
            kind: "card",
            cardId: s.card_id,
            recipient: holder.phone,
            body: smsNewsText(s.message, unsubscribeLink(s.merchant_id, holder.id), localeOfCountry(s.country)),
          }),
        );
      }
      await tx.execute(sql`update push_trigger_sends set status = 'sent', sent_at = ${now.toISOString()}::timestamptz where id = ${s.id}::uuid`);
      await tx.execute(sql`update push_trigger_rules set sent = sent + 1, updated_at = now() where id = ${s.rule_id}::uuid`);
      await record(tx, { merchantId: s.merchant_id, actor: { type: "system" } }, [
        { type: "push.delivered", cardId: s.card_id, data: { ruleId: s.rule_id, channel: s.channel } },
      ]);
      outcome.sent += 1;
    });
  }
  // Another page may be due; not when this one moved nothing (its sends held by another worker).
  outcome.more = due.length === PAGE && outcome.sent + outcome.skipped + outcome.waiting > 0;
  if (outboxIds.length) await dispatchOutbox(outboxIds);
  if (outcome.sent) {
    const { scheduleWalletDrain } = await import("@/lib/wallet/queue");
    await scheduleWalletDrain().catch(() => undefined);
  }
  return outcome;
}

export async function runTriggersJob(db: Db): Promise<{ written: number; sent: number; skipped: number; waiting: number }> {
  const written = await scanTriggers(db);
  const total = { written, sent: 0, skipped: 0, waiting: 0 };
  const until = Date.now() + DELIVER_FOR_MS;
  for (;;) {
    const page = await deliverTriggerSends(db);
    total.sent += page.sent;
    total.skipped += page.skipped;
    total.waiting += page.waiting;
    if (!page.more || Date.now() >= until) return total;
  }
}
