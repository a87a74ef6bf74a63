import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";
import { NO_ID } from "@/db/schema/reports";
import { dayIn, deviceKind, lagBucket, sourceOf } from "./dimensions";
import { hllIdx, hllRho } from "./hll";
import { levelOf } from "@/lib/ledger/levels";
import { programOf, type Kind } from "@/lib/templates/definition";

/** Only one fold (or rebuild) at a time: concurrent folds would only wait on each other's rollup rows. */
export const FOLD_LOCK = 7_316_016;

export const FOLD_BATCH = 5000;

type EventRow = {
  seq: string;
  id: string;
  merchant_id: string;
  card_id: string | null;
  type: string;
  data: Record<string, unknown>;
  actor_type: string;
  created_at: string | Date;
  time_zone: string;
  location_id: string | null;
  amount: number | null;
  tx_type: string | null;
  tx_accrued: number | null;
};

type CardFacts = {
  id: string;
  merchant_id: string;
  template_id: string;
  status: string;
  created_at: string | Date;
  iphones: number;
  watches: number;
  androids: number;
  purchase_total: number;
  /** The card's level floor (a company's starting level), read with its total. */
  level_floor: number | null;
  kind: Kind | null;
  program: unknown;
};

export type CardState = {
  cardId: string;
  merchantId: string;
  templateId: string;
  source: string;
  issuedAt: Date;
  status: string | null;
  iphones: number;
  watches: number;
  androids: number;
  everApple: boolean;
  everGoogle: boolean;
  /** The cumulative-discount level counted for the card (its index in the programme), null when its programme has none. */
  level: number | null;
};

const EMPTY = { status: null, iphones: 0, watches: 0, androids: 0, everApple: false, everGoogle: false, level: null };

type Acc = Map<string, { count: number; sum: number }>;

function add(acc: Acc, key: (string | number)[], count: number, sum = 0) {
  const k = JSON.stringify(key);
  const v = acc.get(k);
  if (v) {
    v.count += count;
    v.sum += sum;
  } else acc.set(k, { count, sum });
}

/**
 * Folds one batch of the inbox into the rollups, in one transaction: the inbox rows are deleted by
 * the same transaction that adds their figures, so a fold killed at any point rolls back whole (the
 * rows stay for the next fold) and a committed fold has removed exactly what it counted — each event
 * is counted once. Returns how many events it folded; 0 with `busy` when another fold holds the lock.
 */
export async function foldReports(db: Db, options: { batch?: number } = {}): Promise<{ folded: number; busy?: boolean }> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${FOLD_LOCK}) as ok`));
    if (!lock.ok) return { folded: 0, busy: true };
    const taken = rowsOf<{ seq: string; event_id: string }>(
      await tx.execute(
        sql`delete from report_inbox where seq in (select seq from report_inbox order by seq limit ${options.batch ?? FOLD_BATCH}) returning seq, event_id`,
      ),
    );
    if (!taken.length) return { folded: 0 };
    taken.sort((a, b) => Number(a.seq) - Number(b.seq));
    const events = rowsOf<EventRow>(
      await tx.execute(sql`
        select b.ord as seq, e.id, e.merchant_id, e.card_id, e.type, e.data, e.actor_type, e.created_at, m.time_zone,
          t.location_id, t.amount, t.type as tx_type, t.accrued as tx_accrued
        from unnest(${pgArray(taken.map((t) => t.event_id))}::uuid[]) with ordinality as b(id, ord)
        join card_events e on e.id = b.id
        join merchants m on m.id = e.merchant_id
        left join ledger_transactions t on e.type like 'points.%' and e.data ? 'transactionId'
          and t.id = (e.data->>'transactionId')::uuid and t.merchant_id = e.merchant_id
        order by b.ord`),
    );
    await applyEvents(tx, events);
    await tx.execute(sql`update report_fold_state set folded_at = now(), folded = folded + ${taken.length} where id = 1`);
    return { folded: taken.length };
  });
}

/** Folds until the inbox is empty or `budgetMs` has passed (the job's run); each batch commits on its own. */
export async function foldAll(db: Db, budgetMs = 20_000, batch = FOLD_BATCH): Promise<{ folded: number; batches: number }> {
  const until = Date.now() + budgetMs;
  let folded = 0;
  let batches = 0;
  while (Date.now() < until) {
    const r = await foldReports(db, { batch });
    if (!r.folded) break;
    folded += r.folded;
    batches++;
  }
  return { folded, batches };
}

async function loadStates(tx: Db, cardIds: string[]): Promise<Map<string, CardState>> {
  const states = new Map<string, CardState>();
  if (!cardIds.length) return states;
  const rows = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`select card_id, merchant_id, template_id, source, issued_at, status, iphones, watches, androids, ever_apple, ever_google, level
      from report_cards where card_id = any(${pgArray(cardIds)}::uuid[])`),
  );
  for (const r of rows)
    states.set(String(r.card_id), {
      cardId: String(r.card_id),
      merchantId: String(r.merchant_id),
      templateId: String(r.template_id),
      source: String(r.source),
      issuedAt: new Date(r.issued_at as string),
      status: (r.status as string | null) ?? null,
      iphones: Number(r.iphones),
      watches: Number(r.watches),
      androids: Number(r.androids),
      everApple: Boolean(r.ever_apple),
      everGoogle: Boolean(r.ever_google),
      level: r.level === null || r.level === undefined ? null : Number(r.level),
    });
  return states;
}

export async function loadFacts(tx: Db, cardIds: string[]): Promise<Map<string, CardFacts>> {
  if (!cardIds.length) return new Map();
  const rows = rowsOf<CardFacts>(
    await tx.execute(sql`
      select c.id, c.merchant_id, c.template_id, c.status::text as status, c.created_at,
        count(*) filter (where d.platform = 'apple' and d.model !~* 'watch')::int as iphones,
        count(*) filter (where d.platform = 'apple' and d.model ~* 'watch')::int as watches,
        count(*) filter (where d.platform = 'google')::int as androids,
        c.purchase_total, c.level_floor, t.kind::text as kind, v.definition->'program' as program
      from cards c
      left join card_templates t on t.id = c.template_id and t.merchant_id = c.merchant_id
      left join card_template_versions v on v.template_id = t.id and v.version = t.current_version and v.merchant_id = c.merchant_id
      left join wallet_registrations r on r.card_id = c.id
      left join wallet_devices d on d.id = r.device_id
      where c.id = any(${pgArray(cardIds)}::uuid[])
      group by c.id, t.id, v.id`),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** A card the reports have not met yet (issued before they existed, or by a path with no event): adopted from the cards table. */
export function adopt(f: CardFacts): CardState {
  return {
    cardId: f.id,
    merchantId: f.merchant_id,
    templateId: f.template_id,
    source: "other",
    issuedAt: new Date(f.created_at),
    status: null,
    iphones: 0,
    watches: 0,
    androids: 0,
    everApple: Number(f.iphones) + Number(f.watches) > 0,
    everGoogle: Number(f.androids) > 0,
    level: null,
  };
}

/** The card's level now: from its total of purchases, its floor and its template's current programme (null without levels). */
function levelNow(f: CardFacts): number | null {
  if (!f.kind) return null;
  const program = programOf(f.kind, { program: (f.program ?? undefined) as never });
  return levelOf(program, { purchaseTotal: Number(f.purchase_total ?? 0), levelFloor: Number(f.level_floor ?? 0) })?.index ?? null;
}

async function applyEvents(tx: Db, events: EventRow[]): Promise<void> {
  const cardIds = [...new Set(events.flatMap((e) => (e.card_id ? [e.card_id] : [])))];
  const [states, facts] = await Promise.all([loadStates(tx, cardIds), loadFacts(tx, cardIds)]);
  const daily: Acc = new Map();
  const members: { m: string; d: string; c: string }[] = [];
  const put = (
    e: EventRow,
    metric: string,
    day: string,
    k: { tpl?: string; loc?: string | null; src?: string; platform?: string; bucket?: number; campaign?: string },
    count = 1,
    sum = 0,
  ) => add(daily, [e.merchant_id, metric, day, k.tpl ?? NO_ID, k.loc ?? NO_ID, k.src ?? "", k.platform ?? "", k.bucket ?? 0, k.campaign ?? NO_ID], count, sum);
  // A campaign's delivery outcomes for one card (lib/push-events/delivery), as its event carries them.
  const campaign = (e: EventRow, day: string, k: { tpl: string; src: string }) => {
    const data = e.data ?? {};
    if (typeof data.campaignId !== "string") return;
    for (const [platform, outcome, n] of campaignOutcomes(e.type, data))
      if (n > 0) put(e, `campaign.${outcome}`, day, { ...k, platform, campaign: data.campaignId }, n);
  };

  for (const e of events) {
    const at = new Date(e.created_at);
    const day = dayIn(e.time_zone, at);
    const data = e.data ?? {};
    let state = e.card_id ? states.get(e.card_id) : undefined;
    if (e.card_id && !state && e.type === "card.issued") {
      // From the event itself, so a card deleted before its events are folded counts the same as in a rebuild.
      const templateId = typeof data.templateId === "string" ? data.templateId : (facts.get(e.card_id)?.template_id ?? NO_ID);
      state = { ...EMPTY, cardId: e.card_id, merchantId: e.merchant_id, templateId, source: "other", issuedAt: at };
      states.set(e.card_id, state);
    } else if (e.card_id && !state && facts.has(e.card_id)) {
      state = adopt(facts.get(e.card_id)!);
      states.set(e.card_id, state);
    }
    const tpl = state?.templateId ?? (typeof data.templateId === "string" ? data.templateId : NO_ID);
    if (e.type === "card.issued") {
      const src = sourceOf(data, e.actor_type);
      if (state) state.source = src;
      put(e, "cards.issued", day, { tpl, src });
      continue;
    }
    const src = state?.source ?? "other";
    switch (e.type) {
      case "card.installed": {
        const kind = deviceKind(data.platform, data.model);
        const wallet = data.platform === "google" ? "google" : "apple";
        put(e, "devices.installed", day, { tpl, src, platform: kind });
        if (!state) break;
        const issueDay = dayIn(e.time_zone, state.issuedAt);
        if (!state.everApple && !state.everGoogle) {
          put(e, "cards.activated", day, { tpl, src, platform: kind });
          put(e, "conv.reached", issueDay, { tpl, src });
        }
        const first = wallet === "apple" ? !state.everApple : !state.everGoogle;
        if (first) {
          put(e, "devices.new", day, { tpl, src, platform: wallet });
          put(e, "conv.installed", issueDay, { tpl, src, platform: wallet });
          put(e, "conv.lag", issueDay, { tpl, src, platform: wallet, bucket: lagBucket((at.getTime() - state.issuedAt.getTime()) / 1000) });
          if (wallet === "apple") state.everApple = true;
          else state.everGoogle = true;
        }
        break;
      }
      case "card.removed":
        put(e, "devices.removed", day, { tpl, src, platform: deviceKind(data.platform, data.model) });
        break;
      // Gift certificates (their template stands for their definition): issued with its nominal, opened,
      // redeemed and written off at expiry (breakage), each with its sum; with the corrections and
      // reversals (points.*) on their template, the outstanding balance adds up from these.
      case "certificate.issued":
      case "certificate.opened":
      case "certificate.redeemed":
      case "certificate.expired":
        put(e, `cert.${e.type.slice("certificate.".length)}`, day, { tpl, src }, 1, Math.abs(Number(data.amount ?? 0)));
        break;
      case "wallet.push_sent":
        put(e, "pushes.sent", day, { tpl, src, platform: String(data.platform ?? "apple") });
        break;
      case "wallet.push_failed":
        put(e, "pushes.failed", day, { tpl, src, platform: String(data.platform ?? "apple") });
        campaign(e, day, { tpl, src });
        break;
      case "push.delivered":
        campaign(e, day, { tpl, src });
        // A campaign's push told in its delivery rather than a `wallet.push_sent` of its own (older
        // deliveries had both, and carry no `pushesSent`: counted once either way).
        if (Number(data.pushesSent ?? 0) > 0) put(e, "pushes.sent", day, { tpl, src, platform: "apple" });
        break;
      case "points.accrued":
      case "points.redeemed":
      case "points.expired":
      case "points.adjusted":
      case "points.reversed": {
        const points = Number(data.points ?? 0);
        const signed = e.type === "points.adjusted" || e.type === "points.reversed";
        put(e, e.type, day, { tpl, src, loc: e.location_id }, 1, signed ? points : Math.abs(points));
        // A purchase is counted once, on its accrual (or on its redemption when it accrued nothing).
        const purchaseHere = e.tx_type === "purchase" && (e.type === "points.accrued" || (e.type === "points.redeemed" && !e.tx_accrued));
        if (purchaseHere && e.card_id) {
          put(e, "purchases", day, { tpl, src, loc: e.location_id }, 1, Number(e.amount ?? 0));
          members.push({ m: e.merchant_id, d: day, c: e.card_id });
        }
        break;
      }
    }
  }
  await settleCards(tx, [...states.values()], facts);
  await writeDaily(tx, daily);
  await addMembers(tx, members);
}

/**
 * Moves the current-state counters by what changed for each card since they last counted it (its
 * status, devices and level now, from the cards table, against what its report_cards row says was
 * counted), and stores what is counted now. A deleted card leaves the counters. A level moves with the
 * purchase that changes it (an event of the card); after the levels of a template are edited, each
 * card is counted at its new level on its next event, and `npm run reports:rebuild` recounts at once.
 */
export async function settleCards(tx: Db, states: CardState[], facts: Map<string, CardFacts>): Promise<void> {
  if (!states.length) return;
  const current: Acc = new Map();
  for (const s of states) {
    const f = facts.get(s.cardId);
    const before = { tpl: s.templateId, status: s.status, iphone: s.iphones, watch: s.watches, android: s.androids, level: s.level };
    const after = f
      ? { tpl: f.template_id, status: f.status, iphone: Number(f.iphones), watch: Number(f.watches), android: Number(f.androids), level: levelNow(f) }
      : { tpl: s.templateId, status: null, iphone: 0, watch: 0, android: 0, level: null };
    for (const [sign, v] of [
      [-1, before],
      [1, after],
    ] as const) {
      if (!v.status) continue;
      add(current, [s.merchantId, "status", v.tpl, v.status], sign);
      for (const kind of ["iphone", "watch", "android"] as const) if (v[kind]) add(current, [s.merchantId, "device", v.tpl, kind], sign * v[kind]);
      if (!v.iphone && !v.watch && !v.android) add(current, [s.merchantId, "device", v.tpl, "none"], sign);
      if (v.level !== null) add(current, [s.merchantId, "level", v.tpl, String(v.level)], sign);
    }
    Object.assign(s, { templateId: after.tpl, status: after.status, iphones: after.iphone, watches: after.watch, androids: after.android, level: after.level });
  }
  const deltas = [...current].map(([k, v]) => [...(JSON.parse(k) as string[]), v.count] as const).filter((r) => r[4] !== 0);
  if (deltas.length)
    await tx.execute(sql`
      insert into report_current (merchant_id, kind, template_id, key, count)
      select (r->>0)::uuid, r->>1, (r->>2)::uuid, r->>3, (r->>4)::bigint from jsonb_array_elements(${JSON.stringify(deltas)}::jsonb) r
      order by 1, 2, 3, 4
      on conflict (merchant_id, kind, template_id, key) do update set count = report_current.count + excluded.count`);
  const rows = states.map((s) => ({ ...s, issuedAt: s.issuedAt.toISOString() }));
  await tx.execute(sql`
    insert into report_cards (card_id, merchant_id, template_id, source, issued_at, status, iphones, watches, androids, ever_apple, ever_google, level)
    select r."cardId", r."merchantId", r."templateId", r.source, r."issuedAt", r.status, r.iphones, r.watches, r.androids, r."everApple", r."everGoogle", r.level
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r("cardId" uuid, "merchantId" uuid, "templateId" uuid, source text, "issuedAt" timestamptz,
      status text, iphones int, watches int, androids int, "everApple" boolean, "everGoogle" boolean, level smallint)
    on conflict (card_id) do update set template_id = excluded.template_id, source = excluded.source, issued_at = excluded.issued_at, status = excluded.status,
      iphones = excluded.iphones, watches = excluded.watches, androids = excluded.androids, ever_apple = excluded.ever_apple, ever_google = excluded.ever_google,
      level = excluded.level`);
}

/** The outcomes a campaign event counts, as [platform, outcome, how many]: accepted, failed, quota (Google's shown without a notification) and in doubt. */
export function campaignOutcomes(type: string, data: Record<string, unknown>): [string, string, number][] {
  const n = (v: unknown) => Math.max(0, Math.trunc(Number(v ?? 0)) || 0);
  const f = data.figures as Record<string, unknown> | undefined;
  if (f && typeof f === "object")
    return [
      ["apple", "accepted", n(f.appleAccepted)],
      ["apple", "failed", n(f.appleFailed) + n(f.appleGone)],
      ["google", "accepted", n(f.googleNotified)],
      ["google", "quota", n(f.googleQuiet)],
      ["google", "failed", n(f.googleFailed)],
      ["google", "in_doubt", n(f.googleInDoubt)],
    ];
  // A `push.delivered` recorded before its figures were: Apple's accepted, and Google's one message, notified or not.
  if (type !== "push.delivered") return [];
  return [
    ["apple", "accepted", n(data.apple)],
    ["google", data.googleNotify ? "accepted" : "quota", n(data.google)],
  ];
}

async function writeDaily(tx: Db, daily: Acc): Promise<void> {
  if (!daily.size) return;
  const rows = [...daily].map(([k, v]) => [...(JSON.parse(k) as (string | number)[]), v.count, v.sum]);
  await tx.execute(sql`
    insert into report_daily (merchant_id, metric, day, template_id, location_id, source, platform, bucket, campaign_id, count, sum)
    select (r->>0)::uuid, r->>1, (r->>2)::date, (r->>3)::uuid, (r->>4)::uuid, r->>5, r->>6, (r->>7)::smallint, (r->>8)::uuid, (r->>9)::bigint, (r->>10)::bigint
    from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) r
    order by 1, 2, 3, 4, 5, 6, 7, 8, 9
    on conflict (merchant_id, metric, day, template_id, location_id, source, platform, bucket, campaign_id)
    do update set count = report_daily.count + excluded.count, sum = report_daily.sum + excluded.sum`);
}

async function addMembers(tx: Db, members: { m: string; d: string; c: string }[]): Promise<void> {
  if (!members.length) return;
  // Each purchase into its day's sketch (span 1) and its month's (span 2).
  await tx.execute(sql`
    insert into report_members_hll (merchant_id, span, day, idx, rho)
    select r.m, s.span, case when s.span = 1 then r.d else date_trunc('month', r.d)::date end, ${hllIdx(sql`r.c`)}, max(${hllRho(sql`r.c`)})
    from jsonb_to_recordset(${JSON.stringify(members)}::jsonb) as r(m uuid, d date, c uuid) cross join (values (1), (2)) s(span)
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4
    on conflict (merchant_id, span, day, idx) do update set rho = greatest(report_members_hll.rho, excluded.rho)`);
}
