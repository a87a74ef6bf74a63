import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { getApnsClient, type ApnsClient, type ApnsOutcome } from "@/lib/adapters/apns/client";
import { getWalletClient, WalletApiError } from "@/lib/wallet/google/client";
import { record, type DomainEvent } from "@/lib/card-events";
import { refreshCardStatus } from "@/db/queries/card-status";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getAppleSigner, type AppleSigner } from "@/lib/passes/apple/signer";
import { getGoogleIssuer, type GoogleIssuer } from "@/lib/wallet/google/account";
import { cardGoogleObject, loadCardForPass } from "./pass";
import {
  addCampaignFigures,
  campaignDeliveryEvent,
  noDelivery,
  sendCampaignGoogleMessage,
  type CampaignDelivery,
  type CardDelivery,
} from "@/lib/push-events/delivery";
import { jsonRows } from "@/db/rows";
import { COALESCE_SECONDS, rowsOf, scheduleWalletDrain } from "./queue";
import { storableText } from "@/lib/errors";

const BATCH = 500;
/** Batches a drain works on at once (see drainWalletUpdates). */
const LANES = 2;
/** A claimed card is someone else's to retry if its drain has not settled it by then (a crashed worker). */
export const LEASE_SECONDS = 120;
const MAX_ATTEMPTS = 8;
/** The drain returns after this long so one job never runs into pg-boss's expiry; the rest waits for the next. */
const TIME_BUDGET_MS = 60_000;

export type Claimed = { cardId: string; merchantId: string; revision: number; attempts: number; campaignId: string | null };
type Registration = { deviceId: string; platform: "apple" | "google"; pushToken: string | null; passTypeId: string; model: string };
export type DrainStats = { cards: number; pushes: number; removedDevices: number; googleUpdates: number; retries: number; failures: number };

export type DrainOptions = { apnsUrl?: string; apnsCa?: string; google?: { baseUrl: string; tokenUrl: string }; now?: () => number };

/** wallet_updates rows as a drain holds them (`returning card_id, merchant_id, revision, attempts, campaign_id`). */
export function claimedOf(result: unknown): Claimed[] {
  return rowsOf<{ card_id: string; merchant_id: string; revision: number; attempts: number; campaign_id: string | null }>(result).map((r) => ({
    cardId: r.card_id,
    merchantId: r.merchant_id,
    revision: Number(r.revision),
    attempts: Number(r.attempts),
    campaignId: r.campaign_id,
  }));
}

/**
 * A push's batch its run tells itself (a push_event_batches row, lib/push-events/run): its cards,
 * each as a claimed row of its campaign would be, and their wallets when the run read them with the
 * batch (the drain, taking a batch whose lease ran out, looks them up).
 */
export type PushBatch = { id: string; cards: Claimed[]; registrations?: Map<string, Registration[]> };

/** A push_event_batches row as a statement returns it (`returning id, event_id, merchant_id, to_json(card_ids) as card_ids, attempts`). */
type PushBatchRow = { id: string; event_id: string; merchant_id: string; card_ids: unknown; attempts: number | string };

/** One wallet of a batch's card as lib/push-events/run reads it: `[card_id, device_id, platform, push_token, pass_type_id, model]`. */
type WalletTuple = [string, string, Registration["platform"], string | null, string, string];

export function pushBatchOf(row: PushBatchRow, wallets?: unknown): PushBatch {
  const attempts = Number(row.attempts);
  const batch: PushBatch = {
    id: row.id,
    cards: jsonRows<string>(row.card_ids).map((cardId) => ({ cardId, merchantId: row.merchant_id, revision: 0, attempts, campaignId: row.event_id })),
  };
  if (wallets !== undefined && wallets !== null) {
    batch.registrations = new Map();
    for (const [cardId, deviceId, platform, pushToken, passTypeId, model] of jsonRows<WalletTuple>(wallets))
      addRegistration(batch.registrations, cardId, { deviceId, platform, pushToken, passTypeId, model });
  }
  return batch;
}

function addRegistration(byCard: Map<string, Registration[]>, cardId: string, registration: Registration): void {
  const list = byCard.get(cardId);
  if (list) list.push(registration);
  else byCard.set(cardId, [registration]);
}

/** A push's batch whose run has not settled it within its lease (a crashed worker), leased to this drain. */
async function claimPushBatch(db: Db): Promise<PushBatch | null> {
  const [row] = rowsOf<PushBatchRow>(
    await db.execute(sql`
      with due as (
        select id from push_event_batches where lease_until <= now() order by lease_until limit 1 for update skip locked)
      update push_event_batches b set lease_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = b.attempts + 1
      from due where b.id = due.id
      returning b.id, b.event_id, b.merchant_id, to_json(b.card_ids) as card_ids, b.attempts`),
  );
  return row ? pushBatchOf(row) : null;
}

/** Due rows, leased to this drain in one statement (rows another drain holds are skipped). */
async function claim(db: Db): Promise<Claimed[]> {
  return claimedOf(
    await db.execute(sql`
      with due as (
        select card_id from wallet_updates
        where due_at <= now() order by due_at limit ${BATCH} for update skip locked)
      update wallet_updates w set due_at = now() + make_interval(secs => ${LEASE_SECONDS})
      from due where w.card_id = due.card_id
      returning w.card_id, w.merchant_id, w.revision, w.attempts, w.campaign_id`),
  );
}

/**
 * A device whose push token APNs says is dead (410, BadDeviceToken) holds none of our cards any more:
 * it is forgotten with its registrations, and each of its cards gets a `removed` event and its status.
 */
export async function forgetDevice(db: Db, merchantId: string, deviceId: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    const held = rowsOf<{ card_id: string; model: string; platform: string }>(
      await tx.execute(sql`
        select r.card_id, d.model, d.platform from wallet_registrations r join wallet_devices d on d.id = r.device_id
        where d.id = ${deviceId}::uuid and d.merchant_id = ${merchantId}::uuid and r.merchant_id = ${merchantId}::uuid`),
    );
    await tx.execute(sql`delete from wallet_devices where id = ${deviceId}::uuid and merchant_id = ${merchantId}::uuid`);
    const cardIds = held.map((h) => h.card_id);
    await refreshCardStatus(tx, merchantId, cardIds);
    await record(
      tx,
      { merchantId, actor: { type: "system" } },
      held.map((h) => ({ type: "card.removed" as const, cardId: h.card_id, data: { platform: h.platform, model: h.model, reason } })),
    );
  });
}

/** The pool's key for a signer's client: its certificate's digest, worked out once per signer (not per card). */
const certDigests = new WeakMap<AppleSigner, string>();
function apnsKey(signer: AppleSigner, url: string): string {
  let digest = certDigests.get(signer);
  if (!digest) certDigests.set(signer, (digest = createHash("sha256").update(signer.signerCertPem).digest("hex").slice(0, 16)));
  return `${url}|${digest}`;
}

/** The pool's APNs client for the merchant's pass certificate. */
async function merchantApnsClient(db: Db, merchantId: string, options: DrainOptions): Promise<ApnsClient> {
  const signer = await getAppleSigner(db, merchantId);
  const url = options.apnsUrl ?? getEnv().APNS_URL;
  return getApnsClient(apnsKey(signer, url), () => ({ url, cert: signer.signerCertPem, key: signer.signerKeyPem, ca: options.apnsCa }));
}

/** What one card's attempt did; filled in as it goes, so a throw midway still tells what was sent. */
type CardOutcome = {
  retry: string | null;
  /** The campaign's figures from this attempt, and the wallets that wanted a retry (failed if none is left). */
  delivery: CampaignDelivery;
  retried: { apple: number; google: number };
  /** Devices APNs accepted the push for (the card's `wallet.push_sent`). */
  sent: number;
  /** The attempt threw before saying what each wallet did. */
  threw: boolean;
};

/** Cards of a batch talking to Google at once (a batch's APNs pushes share the APNs client's few HTTP/2 connections; Google's calls do not). */
const GOOGLE_IN_FLIGHT = 100;

/**
 * A batch's merchants' APNs clients (each merchant's signer, and the pool's client for its
 * certificate) and Google issuers, looked up once per merchant rather than per card, and its gate to
 * Google.
 */
type BatchCache = {
  apns: Map<string, Promise<ApnsClient>>;
  issuers: Map<string, Promise<GoogleIssuer>>;
  google: <T>(work: () => Promise<T>) => Promise<T>;
};
/** Runs at most `n` pieces of work at once; the rest wait their turn. */
function limiter(n: number): BatchCache["google"] {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    while (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await work();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}
function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (!value) {
    value = load();
    map.set(key, value);
  }
  return value;
}

/**
 * Every registration of the batch's cards, in one select, each card's filtered by its own merchant. A
 * push's batch names its cards by its row (nothing sent per card; its row gone, nothing is told).
 */
async function loadRegistrations(db: Db, batch: Claimed[], pushBatchId?: string): Promise<Map<string, Registration[]>> {
  const cards = pushBatchId
    ? sql`push_event_batches b cross join lateral unnest(b.card_ids) as c(card_id)
        join wallet_registrations r on r.card_id = c.card_id and r.merchant_id = b.merchant_id`
    : sql`jsonb_to_recordset(${JSON.stringify(batch.map((b) => ({ card_id: b.cardId, merchant_id: b.merchantId })))}::jsonb) as c(card_id uuid, merchant_id uuid)
        join wallet_registrations r on r.card_id = c.card_id and r.merchant_id = c.merchant_id`;
  const rows = rowsOf<{ card_id: string; device_id: string; platform: "apple" | "google"; push_token: string | null; pass_type_id: string; model: string }>(
    await db.execute(sql`
      select r.card_id, d.id as device_id, d.platform, d.push_token, d.pass_type_id, d.model
      from ${cards}
      join wallet_devices d on d.id = r.device_id and d.merchant_id = r.merchant_id
      ${pushBatchId ? sql`where b.id = ${pushBatchId}::uuid` : sql``}`),
  );
  const byCard = new Map<string, Registration[]>();
  for (const r of rows)
    addRegistration(byCard, r.card_id, { deviceId: r.device_id, platform: r.platform, pushToken: r.push_token, passTypeId: r.pass_type_id, model: r.model });
  return byCard;
}

/** Pushes one card's change to every wallet holding it, writing nothing but a dead device's removal: the batch records the rest. */
async function updateCard(
  db: Db,
  item: Claimed,
  regs: Registration[],
  out: CardOutcome,
  cache: BatchCache,
  options: DrainOptions,
  stats: DrainStats,
): Promise<void> {
  const { delivery, retried } = out;
  const apple = regs.filter((r) => r.platform === "apple" && r.pushToken);
  if (apple.length) {
    const client = await cached(cache.apns, item.merchantId, () => merchantApnsClient(db, item.merchantId, options));
    const outcomes: ApnsOutcome[] = await Promise.all(apple.map((r) => client.push(r.pushToken!, r.passTypeId)));
    let sent = 0;
    delivery.applePushed += apple.length;
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.kind === "sent") sent += 1;
      else if (outcome.kind === "unregistered") {
        await forgetDevice(db, item.merchantId, apple[i].deviceId, outcome.reason);
        stats.removedDevices += 1;
        delivery.appleGone += 1;
      } else if (outcome.kind === "retry") {
        out.retry = `APNs ${outcome.status || ""} ${outcome.reason}`.trim();
        retried.apple += 1;
      } else {
        delivery.appleFailed += 1;
        logger.warn("APNs refused a push", { cardId: item.cardId, status: outcome.status, reason: outcome.reason });
      }
    }
    delivery.appleAccepted += sent;
    stats.pushes += sent;
    out.sent = sent;
  }

  if (regs.some((r) => r.platform === "google")) await cache.google(() => updateGoogleObject(db, item, out, cache, options, stats));
}

/** The card's Google object patched, and a campaign's message added to it. */
async function updateGoogleObject(db: Db, item: Claimed, out: CardOutcome, cache: BatchCache, options: DrainOptions, stats: DrainStats): Promise<void> {
  const { delivery, retried } = out;
  const issuer = await cached(cache.issuers, item.merchantId, () => getGoogleIssuer(db, item.merchantId));
  // Google refuses the development key; such a merchant's objects live only in its save links.
  if (!issuer.development) {
    try {
      const data = await loadCardForPass(db, item.merchantId, item.cardId);
      const { object } = await cardGoogleObject(db, data, issuer);
      const endpoints = options.google ?? { baseUrl: getEnv().GOOGLE_WALLET_API_URL, tokenUrl: getEnv().GOOGLE_OAUTH_TOKEN_URL };
      const client = getWalletClient({ account: issuer.account, ...endpoints });
      await client.syncObject(object);
      stats.googleUpdates += 1;
      if (item.campaignId) await sendCampaignGoogleMessage(db, client, object, item, delivery, options.now);
    } catch (err) {
      const status = err instanceof WalletApiError ? err.status : 0;
      // Google's 4xx (other than throttling) will not change by asking again: logged, not retried.
      if (status === 0 || status === 429 || status >= 500) {
        out.retry = `Google ${status || ""} ${err instanceof Error ? err.message : String(err)}`.trim();
        retried.google += 1;
      } else {
        if (item.campaignId) delivery.googleFailed += 1;
        logger.warn("Google refused an object update", { cardId: item.cardId, status, error: String(err) });
      }
    }
  }
}

/** An attempt that threw before saying what each wallet did: every wallet of the card counts as wanting a retry. */
async function unknownOutcome(db: Db, item: Claimed): Promise<CardOutcome["retried"]> {
  const [row] = rowsOf<{ apple: string | number; google: string | number }>(
    await db.execute(sql`
      select count(*) filter (where d.platform = 'apple' and d.push_token is not null) as apple, count(*) filter (where d.platform = 'google') as google
      from wallet_registrations r join wallet_devices d on d.id = r.device_id and d.merchant_id = r.merchant_id
      where r.card_id = ${item.cardId}::uuid and r.merchant_id = ${item.merchantId}::uuid`),
  );
  return { apple: Number(row?.apple ?? 0), google: Math.min(1, Number(row?.google ?? 0)) };
}

/** A reason PostgreSQL can store: a NUL or a lone surrogate in a remote's answer would fail the whole batch's settling. */

/**
 * A settling that ran into a deadlock (another writer of wallet_updates rows), or a card deleted
 * between its retry's check and its queue row (a foreign key), is tried again.
 */
async function retryingDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
      if ((code !== "40P01" && code !== "23503") || attempt >= 3) throw err;
    }
  }
}

/**
 * Settles a batch in one transaction: what its cards' wallets did goes into the campaigns' figures
 * (one update per campaign) and the cards' histories (one `record` per merchant: `wallet.push_sent`,
 * `push.delivered`, `wallet.push_failed`), and the queue rows are done (holdQueueRows) or, for a
 * push's batch (`pushBatchId`), its row (holdPushBatch); only the cards held then are recorded. The campaigns' rows are written last (in id order),
 * as a push event's run step writes its own last: each holds such a row only until its commit, so
 * neither waits for the other's whole batch, and neither waits on anything while holding one.
 */
async function settleBatch(db: Db, batch: Claimed[], outcomes: CardOutcome[], stats: DrainStats, pushBatchId?: string): Promise<void> {
  const deliveries: CardDelivery[] = [];
  const events = new Map<string, DomainEvent[]>();
  // In place: a batch's 500 events copied into a new list each would be 125,000 copies and their garbage.
  const eventOf = (merchantId: string, event: DomainEvent) => {
    const list = events.get(merchantId);
    if (list) list.push(event);
    else events.set(merchantId, [event]);
  };
  const done: { card_id: string; revision: number; campaign_id: string | null }[] = [];
  const retries: Retry[] = [];
  const gaveUp: { item: Claimed; retry: string; out: CardOutcome }[] = [];

  for (const [i, item] of batch.entries()) {
    const out = outcomes[i];
    const pushSent = () => {
      if (out.sent) eventOf(item.merchantId, { type: "wallet.push_sent", cardId: item.cardId, data: { platform: "apple", devices: out.sent } });
    };
    if (out.retry && item.attempts + 1 < MAX_ATTEMPTS) {
      pushSent();
      stats.retries += 1;
      retries.push({
        card_id: item.cardId,
        merchant_id: item.merchantId,
        campaign_id: item.campaignId,
        attempts: item.attempts + 1,
        delay: Math.min(600, 5 * 2 ** item.attempts),
        error: storableText(out.retry.slice(0, 500)),
      });
      continue;
    }
    done.push({ card_id: item.cardId, revision: item.revision, campaign_id: item.campaignId });
    if (out.retry) {
      pushSent();
      gaveUp.push({ item, retry: storableText(out.retry), out });
    }
    // A campaign's card whose wallets have been told: its figures and its pushes go in its
    // `push.delivered` (campaignDeliveryEvent; a retry of the card counts only what it sends then).
    else if (item.campaignId)
      deliveries.push({ merchantId: item.merchantId, campaignId: item.campaignId, cardId: item.cardId, delivery: out.delivery, sent: out.sent });
    else pushSent();
  }
  for (const { item, retry, out } of gaveUp) {
    stats.failures += 1;
    // The retries ran out: a campaign counts the wallets still wanting one as failed (with what this attempt did).
    let recorded = false;
    if (item.campaignId) {
      const delivery = out.threw ? noDelivery() : out.delivery;
      const retried = out.threw ? await unknownOutcome(db, item) : out.retried;
      delivery.applePushed += out.threw ? retried.apple : 0;
      delivery.appleFailed += retried.apple;
      delivery.googleFailed += retried.google;
      const entry: CardDelivery = {
        merchantId: item.merchantId,
        campaignId: item.campaignId,
        cardId: item.cardId,
        delivery,
        gaveUp: { reason: retry, attempts: item.attempts + 1 },
      };
      deliveries.push(entry);
      recorded = campaignDeliveryEvent(entry)?.type === "wallet.push_failed";
    }
    if (!recorded)
      eventOf(item.merchantId, {
        type: "wallet.push_failed",
        cardId: item.cardId,
        data: { reason: retry.slice(0, 200), attempts: item.attempts + 1, ...(item.campaignId ? { campaignId: item.campaignId } : {}) },
      });
  }
  for (const entry of deliveries) {
    const event = campaignDeliveryEvent(entry);
    if (event) eventOf(entry.merchantId, event);
  }

  await retryingDeadlock(() =>
    db.transaction(async (tx) => {
      const held = pushBatchId ? await holdPushBatch(tx, pushBatchId, batch, retries) : await holdQueueRows(tx, done, retries);
      for (const [merchantId, list] of events) {
        const mine = list.filter((e) => e.cardId && held.has(e.cardId));
        if (mine.length) await record(tx, { merchantId, actor: { type: "system" } }, mine);
      }
      // Last, so the campaigns' rows are held only until the commit.
      await addCampaignFigures(
        tx,
        deliveries.filter((d) => held.has(d.cardId)),
      );
    }),
  );
}

type Retry = { card_id: string; merchant_id: string; campaign_id: string | null; attempts: number; delay: number; error: string };

/**
 * The cards whose queue row this batch still held when settling, their rows settled. One whose row is
 * gone was settled by another batch (its lease ran out while this one was telling it, and the drain
 * took it): that one has counted it, so this batch records nothing for it.
 */
async function holdQueueRows(tx: Db, done: { card_id: string; revision: number; campaign_id: string | null }[], retries: Retry[]): Promise<Set<string>> {
  const held = new Set<string>();
  const hold = (result: unknown) => rowsOf<{ card_id: string }>(result).forEach((r) => held.add(r.card_id));
  if (done.length) {
    // Done, unless the card changed again while its wallets were being told: then it goes round once more.
    hold(
      await tx.execute(sql`
        delete from wallet_updates w using jsonb_to_recordset(${JSON.stringify(done)}::jsonb) as r(card_id uuid, revision int)
        where w.card_id = r.card_id and w.revision = r.revision returning w.card_id`),
    );
    const changed = done.filter((d) => !held.has(d.card_id));
    // The campaign this batch counted has gone from the row: the next round is an ordinary update, not
    // counted again (a campaign that took the row over meanwhile keeps it).
    if (changed.length)
      hold(
        await tx.execute(sql`
          update wallet_updates w set due_at = now() + make_interval(secs => ${COALESCE_SECONDS}), attempts = 0, last_error = null,
            campaign_id = case when w.campaign_id is not distinct from r.campaign_id then null else w.campaign_id end
          from jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) as r(card_id uuid, campaign_id uuid)
          where w.card_id = r.card_id returning w.card_id`),
      );
  }
  if (retries.length)
    hold(
      await tx.execute(sql`
        update wallet_updates w set due_at = now() + make_interval(secs => r.delay), attempts = w.attempts + 1, last_error = r.error
        from jsonb_to_recordset(${JSON.stringify(retries)}::jsonb) as r(card_id uuid, delay int, error text)
        where w.card_id = r.card_id returning w.card_id`),
    );
  return held;
}

/**
 * A push's batch settled: its row deleted (held: all its cards) and the cards wanting a retry queued
 * for the drain with their campaign and attempts. Its row already gone, another telling of it (after
 * its lease ran out) has counted its cards: none is held. A retry is not queued for a card deleted
 * meanwhile, nor over the queue row of another campaign's card (that campaign's push tells the same
 * wallets; this one leaves the card uncounted rather than take the other's count away), and never
 * brings a row a drain holds due before its lease ends.
 */
async function holdPushBatch(tx: Db, id: string, batch: Claimed[], retries: Retry[]): Promise<Set<string>> {
  const gone = rowsOf(await tx.execute(sql`delete from push_event_batches where id = ${id}::uuid returning id`));
  if (!gone.length) return new Set();
  if (retries.length)
    await tx.execute(sql`
      insert into wallet_updates (card_id, merchant_id, due_at, changed_at, campaign_id, attempts, last_error)
      select r.card_id, r.merchant_id, now() + make_interval(secs => r.delay), clock_timestamp(), r.campaign_id, r.attempts, r.error
      from jsonb_to_recordset(${JSON.stringify(retries)}::jsonb) as r(card_id uuid, merchant_id uuid, campaign_id uuid, attempts int, delay int, error text)
      where exists (select 1 from cards c where c.id = r.card_id and c.merchant_id = r.merchant_id)
      on conflict (card_id) do update set changed_at = clock_timestamp(), revision = wallet_updates.revision + 1,
        due_at = greatest(wallet_updates.due_at, excluded.due_at), campaign_id = excluded.campaign_id, attempts = excluded.attempts, last_error = excluded.last_error
      where wallet_updates.campaign_id is null or wallet_updates.campaign_id = excluded.campaign_id`);
  return new Set(batch.map((item) => item.cardId));
}

/** One claimed batch: its cards' registrations in one select, every wallet told at once, then settled. */
async function drainBatch(db: Db, batch: Claimed[], options: DrainOptions, stats: DrainStats, push?: PushBatch): Promise<void> {
  const pushBatchId = push?.id;
  const registrations = push?.registrations ?? (await loadRegistrations(db, batch, pushBatchId));
  const cache: BatchCache = { apns: new Map(), issuers: new Map(), google: limiter(GOOGLE_IN_FLIGHT) };
  const outcomes = batch.map((): CardOutcome => ({ retry: null, delivery: noDelivery(), retried: { apple: 0, google: 0 }, sent: 0, threw: false }));
  await Promise.all(
    batch.map(async (item, i) => {
      try {
        await updateCard(db, item, registrations.get(item.cardId) ?? [], outcomes[i], cache, options, stats);
      } catch (err) {
        logger.warn("wallet update failed", { cardId: item.cardId, error: err instanceof Error ? err.message : String(err) });
        outcomes[i].retry = err instanceof Error ? err.message : String(err);
        outcomes[i].threw = true;
      }
    }),
  );
  await settleBatch(db, batch, outcomes, stats, pushBatchId);
  stats.cards += batch.length;
}

const noStats = (): DrainStats => ({ cards: 0, pushes: 0, removedDevices: 0, googleUpdates: 0, retries: 0, failures: 0 });

/**
 * Tells the wallets of a push's batch, by its run as soon as the batch has committed (or by the drain
 * once its lease has run out): one drained batch, settled by deleting its row. Cards wanting a retry
 * go on the queue for the drain; a run killed before settling leaves the row leased, and the drain
 * takes it when the lease runs out.
 */
export async function tellPushBatch(db: Db, batch: PushBatch, options: DrainOptions = {}): Promise<DrainStats> {
  const stats = noStats();
  if (!batch.cards.length) return stats;
  await drainBatch(db, batch.cards, options, stats, batch);
  // The first retry waits 5 s (settleBatch); the drain's minute tick would otherwise be the next to look.
  if (stats.retries) await scheduleWalletDrain(5).catch(() => undefined);
  return stats;
}

/**
 * Tells wallets about changed cards: claims due rows of wallet_updates (skipping rows another worker
 * holds), sends one APNs push per device and one Google object patch per card, then settles each row
 * — done, back off and retry, or go round again when the card changed meanwhile. Schedules itself for
 * whatever is due later.
 */
export async function drainWalletUpdates(db: Db, options: DrainOptions = {}): Promise<DrainStats> {
  const stats = noStats();
  const started = Date.now();
  // Two lanes, each claiming its own batches: one lane's settling (the database) goes on while the
  // other's pushes are in flight, instead of the two taking turns (bench/push).
  const lane = async () => {
    while (Date.now() - started < TIME_BUDGET_MS) {
      // A push's batch left by a crashed run first: its campaign waits for it.
      const pushBatch = await claimPushBatch(db);
      if (pushBatch) {
        await drainBatch(db, pushBatch.cards, options, stats, pushBatch);
        continue;
      }
      const batch = await claim(db);
      if (!batch.length) break;
      await drainBatch(db, batch, options, stats);
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  const [next] = rowsOf<{ seconds: number | string | null }>(
    await db.execute(sql`
      select extract(epoch from (least((select min(due_at) from wallet_updates), (select min(lease_until) from push_event_batches)) - now())) as seconds`),
  );
  if (next?.seconds !== null && next?.seconds !== undefined) await scheduleWalletDrain(Math.max(1, Number(next.seconds)));
  return stats;
}
