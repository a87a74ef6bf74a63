import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { getApnsClient, type ApnsOutcome } from "@/lib/adapters/apns/client";
import { getWalletClient, WalletApiError } from "@/lib/wallet/google/client";
import { record } from "@/lib/card-events";
import { refreshCardStatus } from "@/db/queries/card-status";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getAppleSigner, type AppleSigner } from "@/lib/passes/apple/signer";
import { getGoogleIssuer } from "@/lib/wallet/google/account";
import { cardGoogleObject, loadCardForPass } from "./pass";
import { noDelivery, recordCampaignDelivery, sendCampaignGoogleMessage, type CampaignDelivery } from "@/lib/push-events/delivery";
import { COALESCE_SECONDS, rowsOf, scheduleWalletDrain } from "./queue";

const BATCH = 100;
/** A claimed card is someone else's to retry if its drain has not settled it by then (a crashed worker). */
const LEASE_SECONDS = 120;
const MAX_ATTEMPTS = 8;
/** The drain returns after this long so one job never runs into pg-boss's expiry; the rest waits for the next. */
const TIME_BUDGET_MS = 60_000;

type Claimed = { cardId: string; merchantId: string; revision: number; attempts: number; campaignId: string | null };
type Registration = { deviceId: string; platform: "apple" | "google"; pushToken: string | null; passTypeId: string; model: string };
export type DrainStats = { cards: number; pushes: number; removedDevices: number; googleUpdates: number; retries: number; failures: number };

export type DrainOptions = { apnsUrl?: string; apnsCa?: string; google?: { baseUrl: string; tokenUrl: string }; now?: () => number };

async function claim(db: Db): Promise<Claimed[]> {
  return db.transaction(async (tx) => {
    const rows = rowsOf<{ card_id: string; merchant_id: string; revision: number; attempts: number; campaign_id: string | null }>(
      await tx.execute(sql`
        select card_id, merchant_id, revision, attempts, campaign_id from wallet_updates
        where due_at <= now() order by due_at limit ${BATCH} for update skip locked`),
    );
    if (!rows.length) return [];
    await tx.execute(sql`
      update wallet_updates set due_at = now() + make_interval(secs => ${LEASE_SECONDS})
      where card_id in (${sql.join(
        rows.map((r) => sql`${r.card_id}::uuid`),
        sql`, `,
      )})`);
    return rows.map((r) => ({
      cardId: r.card_id,
      merchantId: r.merchant_id,
      revision: Number(r.revision),
      attempts: Number(r.attempts),
      campaignId: r.campaign_id,
    }));
  });
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

const apnsKey = (signer: AppleSigner, url: string) => `${url}|${createHash("sha256").update(signer.signerCertPem).digest("hex").slice(0, 16)}`;

/** Pushes one card's change to every wallet holding it. Returns what to do with its queue row. */
type CardOutcome = {
  retry: string | null;
  /** The campaign's figures from this attempt, and the wallets that wanted a retry (failed if none is left). */
  delivery: CampaignDelivery;
  retried: { apple: number; google: number };
};

async function updateCard(db: Db, item: Claimed, options: DrainOptions, stats: DrainStats): Promise<CardOutcome> {
  const regs = rowsOf<{ device_id: string; platform: "apple" | "google"; push_token: string | null; pass_type_id: string; model: string }>(
    await db.execute(sql`
      select d.id as device_id, d.platform, d.push_token, d.pass_type_id, d.model
      from wallet_registrations r join wallet_devices d on d.id = r.device_id and d.merchant_id = r.merchant_id
      where r.card_id = ${item.cardId}::uuid and r.merchant_id = ${item.merchantId}::uuid`),
  ).map((r): Registration => ({ deviceId: r.device_id, platform: r.platform, pushToken: r.push_token, passTypeId: r.pass_type_id, model: r.model }));
  let retry: string | null = null;
  const delivery = noDelivery();
  const retried = { apple: 0, google: 0 };

  const apple = regs.filter((r) => r.platform === "apple" && r.pushToken);
  if (apple.length) {
    const signer = await getAppleSigner(db, item.merchantId);
    const url = options.apnsUrl ?? getEnv().APNS_URL;
    const client = getApnsClient(apnsKey(signer, url), () => ({ url, cert: signer.signerCertPem, key: signer.signerKeyPem, ca: options.apnsCa }));
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
        retry = `APNs ${outcome.status || ""} ${outcome.reason}`.trim();
        retried.apple += 1;
      } else {
        delivery.appleFailed += 1;
        logger.warn("APNs refused a push", { cardId: item.cardId, status: outcome.status, reason: outcome.reason });
      }
    }
    delivery.appleAccepted += sent;
    stats.pushes += sent;
    if (sent)
      await record(db, { merchantId: item.merchantId, actor: { type: "system" } }, [
        { type: "wallet.push_sent", cardId: item.cardId, data: { platform: "apple", devices: sent } },
      ]);
  }

  if (regs.some((r) => r.platform === "google")) {
    const issuer = await getGoogleIssuer(db, item.merchantId);
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
          retry = `Google ${status || ""} ${err instanceof Error ? err.message : String(err)}`.trim();
          retried.google += 1;
        } else {
          if (item.campaignId) delivery.googleFailed += 1;
          logger.warn("Google refused an object update", { cardId: item.cardId, status, error: String(err) });
        }
      }
    }
  }
  // A campaign's figures and the card's `push.delivered` are kept once its wallets have been told (a
  // retry of the card counts only what it sends then).
  if (item.campaignId && !retry) await recordCampaignDelivery(db, item.merchantId, item.campaignId, item.cardId, delivery);
  return { retry, delivery, retried };
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

async function settle(db: Db, item: Claimed, retry: string | null, stats: DrainStats, outcome: CardOutcome | null): Promise<void> {
  if (retry && item.attempts + 1 < MAX_ATTEMPTS) {
    stats.retries += 1;
    const delay = Math.min(600, 5 * 2 ** item.attempts);
    await db.execute(sql`
      update wallet_updates set due_at = now() + make_interval(secs => ${delay}), attempts = attempts + 1, last_error = ${retry.slice(0, 500)}
      where card_id = ${item.cardId}::uuid`);
    return;
  }
  if (retry) {
    stats.failures += 1;
    // The retries ran out: a campaign counts the wallets still wanting one as failed (with what this attempt did).
    let recorded = false;
    if (item.campaignId) {
      const delivery = outcome?.delivery ?? noDelivery();
      const retried = outcome?.retried ?? (await unknownOutcome(db, item));
      delivery.applePushed += outcome ? 0 : retried.apple;
      delivery.appleFailed += retried.apple;
      delivery.googleFailed += retried.google;
      recorded = await recordCampaignDelivery(db, item.merchantId, item.campaignId, item.cardId, delivery, {
        reason: retry,
        attempts: item.attempts + 1,
      });
    }
    if (!recorded)
      await record(db, { merchantId: item.merchantId, actor: { type: "system" } }, [
        {
          type: "wallet.push_failed",
          cardId: item.cardId,
          data: { reason: retry.slice(0, 200), attempts: item.attempts + 1, ...(item.campaignId ? { campaignId: item.campaignId } : {}) },
        },
      ]);
  }
  // Done, unless the card changed again while its wallets were being told: then it goes round once more.
  const done = rowsOf(await db.execute(sql`delete from wallet_updates where card_id = ${item.cardId}::uuid and revision = ${item.revision} returning card_id`));
  if (!done.length) {
    // The campaign's message has gone: the next round is an ordinary update, not counted again.
    await db.execute(
      sql`update wallet_updates set due_at = now() + make_interval(secs => ${COALESCE_SECONDS}), attempts = 0, last_error = null, campaign_id = null where card_id = ${item.cardId}::uuid`,
    );
  }
}

/**
 * Tells wallets about changed cards: claims due rows of wallet_updates (skipping rows another worker
 * holds), sends one APNs push per device and one Google object patch per card, then settles each row
 * — done, back off and retry, or go round again when the card changed meanwhile. Schedules itself for
 * whatever is due later.
 */
export async function drainWalletUpdates(db: Db, options: DrainOptions = {}): Promise<DrainStats> {
  const stats: DrainStats = { cards: 0, pushes: 0, removedDevices: 0, googleUpdates: 0, retries: 0, failures: 0 };
  const started = Date.now();
  while (Date.now() - started < TIME_BUDGET_MS) {
    const batch = await claim(db);
    if (!batch.length) break;
    await Promise.all(
      batch.map(async (item) => {
        let retry: string | null;
        let outcome: CardOutcome | null = null;
        try {
          outcome = await updateCard(db, item, options, stats);
          retry = outcome.retry;
        } catch (err) {
          logger.warn("wallet update failed", { cardId: item.cardId, error: err instanceof Error ? err.message : String(err) });
          retry = err instanceof Error ? err.message : String(err);
        }
        await settle(db, item, retry, stats, outcome);
      }),
    );
    stats.cards += batch.length;
  }
  const [next] = rowsOf<{ seconds: number | string | null }>(
    await db.execute(sql`select extract(epoch from (min(due_at) - now())) as seconds from wallet_updates`),
  );
  if (next?.seconds !== null && next?.seconds !== undefined) await scheduleWalletDrain(Math.max(1, Number(next.seconds)));
  return stats;
}
