import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { pushEvents } from "@/db/schema";
import { record, type DomainEvent } from "@/lib/card-events";
import { clipText } from "@/lib/format/text";
import type { WalletClient } from "@/lib/wallet/google/client";
import { WalletApiError } from "@/lib/wallet/google/client";
import type { GoogleObject } from "@/lib/wallet/google/mapping";

/** Google lets a pass alert its holder this many times in 24 hours; beyond that a message is only shown. */
export const GOOGLE_NOTIFY_PER_DAY = 3;

export type CampaignDelivery = {
  applePushed: number;
  appleAccepted: number;
  appleFailed: number;
  appleGone: number;
  googleNotified: number;
  googleQuiet: number;
  googleFailed: number;
  /** Already there when sent again after a crash (409): whether the phone was alerted is unknown. */
  googleInDoubt: number;
};

export const noDelivery = (): CampaignDelivery => ({
  applePushed: 0,
  appleAccepted: 0,
  appleFailed: 0,
  appleGone: 0,
  googleNotified: 0,
  googleQuiet: 0,
  googleFailed: 0,
  googleInDoubt: 0,
});

/**
 * Notifying Google messages a card got in the 24 hours before `now` (its `push.delivered` history). A
 * message in doubt (found already there when sent again after a crash or an APNs retry) may have
 * alerted the holder, so it counts against Google's three too.
 */
export async function googleNotificationsInDay(db: Db, merchantId: string, cardId: string, now: Date): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`
      select count(*) as n from card_events
      where card_id = ${cardId}::uuid and merchant_id = ${merchantId}::uuid and type = 'push.delivered'
        and created_at > ${now.toISOString()}::timestamptz - interval '24 hours'
        -- now has milliseconds, the events microseconds: one written in its millisecond counts.
        and created_at < ${now.toISOString()}::timestamptz + interval '1 millisecond'
        and ((data->>'googleNotify')::boolean or coalesce((data->'figures'->>'googleInDoubt')::int, 0) > 0)`),
  );
  return Number(row?.n ?? 0);
}

/**
 * A campaign's message on a Google pass: `TEXT_AND_NOTIFY` while the card is under Google's three a
 * day, `TEXT` (shown, no alert) beyond. The message id is the campaign's and the card's, so a retry
 * after a crash is refused by Google as a duplicate (409) rather than notifying twice: it counts as
 * neither notified nor quiet but "in doubt", a figure of its own.
 */
export async function sendCampaignGoogleMessage(
  db: Db,
  client: Pick<WalletClient, "addMessage">,
  object: GoogleObject,
  item: { merchantId: string; cardId: string; campaignId: string | null },
  delivery: CampaignDelivery,
  now: () => number = Date.now,
): Promise<void> {
  if (!item.campaignId) return;
  const [campaign] = await db
    .select({ message: pushEvents.message, name: pushEvents.name, type: pushEvents.type })
    .from(pushEvents)
    .where(and(eq(pushEvents.id, item.campaignId), eq(pushEvents.merchantId, item.merchantId)));
  // A promotion's update changes the pass itself; only a push notification carries a message.
  if (!campaign || campaign.type !== "push") return;
  const notify = (await googleNotificationsInDay(db, item.merchantId, item.cardId, new Date(now()))) < GOOGLE_NOTIFY_PER_DAY;
  try {
    await client.addMessage(object.type, String(object.body.id), {
      id: `${item.campaignId}.${item.cardId}`,
      header: campaign.name || clipText(campaign.message, 40),
      body: campaign.message,
      notify,
    });
    if (notify) delivery.googleNotified += 1;
    else delivery.googleQuiet += 1;
  } catch (err) {
    if (err instanceof WalletApiError && err.status === 409) delivery.googleInDoubt += 1;
    else delivery.googleFailed += 1;
  }
}

const FIGURES = ["appleAccepted", "appleFailed", "appleGone", "googleNotified", "googleQuiet", "googleFailed", "googleInDoubt"] as const;

/**
 * One card's outcome as its event carries it: the reports fold these per campaign (lib/reports/fold),
 * so exactly one event per card and campaign holds them. Only the figures that are not zero (the fold
 * reads a missing one as zero): a campaign's 100,000 events are written and parsed in one go each
 * batch, and most carry one figure.
 */
export function deliveryFigures(d: CampaignDelivery): Partial<Record<(typeof FIGURES)[number], number>> {
  const figures: Partial<Record<(typeof FIGURES)[number], number>> = {};
  for (const key of FIGURES) if (d[key]) figures[key] = d[key];
  return figures;
}

/** One card's outcome for its campaign; `gaveUp`: the wallet drain's retries ran out (the reason and attempts go with it). */
export type CardDelivery = {
  merchantId: string;
  campaignId: string;
  cardId: string;
  delivery: CampaignDelivery;
  gaveUp?: { reason: string; attempts: number };
  /**
   * Devices APNs accepted this attempt's push for, told in this `push.delivered` rather than in a
   * `wallet.push_sent` of its own (one event per card instead of two; the reports count it as a push sent).
   */
  sent?: number;
};

/**
 * The event a card's outcome goes into its history as: `push.delivered` when a wallet took it (or may
 * have: in doubt), else `wallet.push_failed` when it failed, else none.
 */
export function campaignDeliveryEvent({ campaignId, cardId, delivery: d, gaveUp, sent }: CardDelivery): DomainEvent | null {
  const figures = deliveryFigures(d);
  if (d.appleAccepted || d.googleNotified || d.googleQuiet || d.googleInDoubt)
    return {
      type: "push.delivered",
      cardId,
      data: {
        campaignId,
        apple: d.appleAccepted,
        google: d.googleNotified + d.googleQuiet,
        googleNotify: d.googleNotified > 0,
        figures,
        ...(sent ? { pushesSent: sent } : {}),
      },
    };
  if (!d.appleFailed && !d.appleGone && !d.googleFailed) return null;
  return {
    type: "wallet.push_failed",
    cardId,
    data: {
      campaignId,
      platform: d.appleFailed || d.appleGone ? "apple" : "google",
      reason: (gaveUp?.reason ?? "refused").slice(0, 200),
      ...(gaveUp ? { attempts: gaveUp.attempts } : {}),
      figures,
    },
  };
}

/**
 * Adds cards' outcomes to their campaigns' figures, inside the caller's transaction: the figures are
 * summed per campaign first, so a batch of a campaign's cards updates its (hot) row once. Campaigns
 * are updated in id order, so two batches never wait on each other's rows crosswise.
 */
export async function addCampaignFigures(tx: Db, deliveries: CardDelivery[]): Promise<void> {
  const sums = new Map<string, { merchantId: string; campaignId: string; d: CampaignDelivery }>();
  for (const { merchantId, campaignId, delivery } of deliveries) {
    const key = `${campaignId}|${merchantId}`;
    const sum = sums.get(key) ?? { merchantId, campaignId, d: noDelivery() };
    for (const k of Object.keys(sum.d) as (keyof CampaignDelivery)[]) sum.d[k] += delivery[k];
    sums.set(key, sum);
  }
  for (const key of [...sums.keys()].sort()) {
    const { merchantId, campaignId, d } = sums.get(key)!;
    await tx
      .update(pushEvents)
      .set({
        applePushed: sql`${pushEvents.applePushed} + ${d.applePushed}`,
        appleAccepted: sql`${pushEvents.appleAccepted} + ${d.appleAccepted}`,
        appleFailed: sql`${pushEvents.appleFailed} + ${d.appleFailed}`,
        appleGone: sql`${pushEvents.appleGone} + ${d.appleGone}`,
        googleNotified: sql`${pushEvents.googleNotified} + ${d.googleNotified}`,
        googleQuiet: sql`${pushEvents.googleQuiet} + ${d.googleQuiet}`,
        googleFailed: sql`${pushEvents.googleFailed} + ${d.googleFailed}`,
        googleInDoubt: sql`${pushEvents.googleInDoubt} + ${d.googleInDoubt}`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(pushEvents.id, campaignId), eq(pushEvents.merchantId, merchantId)));
  }
}

/**
 * Adds one card's outcome to its campaign's figures and the card's history (`campaignDeliveryEvent`).
 * Returns whether a `wallet.push_failed` was recorded, so a caller does not record a second. The
 * wallet drain does the same for a whole batch at once (lib/wallet/drain).
 */
export async function recordCampaignDelivery(
  db: Db,
  merchantId: string,
  campaignId: string,
  cardId: string,
  d: CampaignDelivery,
  gaveUp?: { reason: string; attempts: number },
): Promise<boolean> {
  const entry: CardDelivery = { merchantId, campaignId, cardId, delivery: d, gaveUp };
  return db.transaction(async (tx) => {
    const event = campaignDeliveryEvent(entry);
    if (event) await record(tx, { merchantId, actor: { type: "system" } }, [event]);
    // Last, as the wallet drain does: the campaign's row is held only until the commit.
    await addCampaignFigures(tx, [entry]);
    return event?.type === "wallet.push_failed";
  });
}
