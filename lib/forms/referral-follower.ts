import "server-only";
import { sql } from "drizzle-orm";
import { pgArray, rowsOf } from "@/db/rows";
import { reusableSql } from "@/db/reusable";
import type { EventContext, Follower, RecordedEvent } from "@/lib/card-events/types";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";

/**
 * A referred friend's card reaching a wallet (`card.installed`) or first used at a till or through the
 * API (points moved by anyone but the system: welcome and referral points are the system's) makes the
 * referral's rewards due, in the change's own transaction; the referral job pays them (lib/forms/referral).
 * One indexed probe per event, on referrals.friend_card_id.
 */
const installedOf = (events: RecordedEvent[]) => events.filter((e) => e.cardId && e.type === "card.installed").map((e) => e.cardId!);
const usedOf = (events: RecordedEvent[], ctx: EventContext) =>
  ctx.actor.type === "system" ? [] : events.filter((e) => e.cardId && e.type !== "card.installed").map((e) => e.cardId!);

// Sent with the events' insert (the door's RideAlong): a till's purchase pays no round trip for it.
const MAKE_DUE = sql`update referrals set due_at = now()
    where merchant_id = ${sql.placeholder("merchantId")}::uuid and due_at is null and rewarded_at is null
      and ((reward_on = 'installed' and friend_card_id = any(${sql.placeholder("referralInstalled")}::uuid[]))
        or friend_card_id = any(${sql.placeholder("referralUsed")}::uuid[]))
    returning id`;
const makeDue = reusableSql<{ merchantId: string; referralInstalled: string; referralUsed: string }>(MAKE_DUE);

export const referralFollower: Follower = {
  name: "referrals",
  follows: new Set(["card.installed", "points.accrued", "points.redeemed"] as const),
  rideAlong: {
    applies: (events, ctx) => installedOf(events).length + usedOf(events, ctx).length > 0,
    sql: MAKE_DUE,
    values: (events, ctx) => ({ referralInstalled: pgArray(installedOf(events)), referralUsed: pgArray(usedOf(events, ctx)) }),
    after: async (_tx, _ctx, _events, rows) => (rows.length ? [QUEUES.referralRewards] : []),
  },
  async follow(tx, ctx, events) {
    const installed = installedOf(events);
    const used = usedOf(events, ctx);
    if (!installed.length && !used.length) return [];
    const rows = rowsOf(await makeDue(tx, { merchantId: ctx.merchantId, referralInstalled: pgArray(installed), referralUsed: pgArray(used) }));
    return rows.length ? [QUEUES.referralRewards] : [];
  },
};

export const scheduleReferralRewards = () => enqueue(QUEUES.referralRewards, {}, { singletonKey: "referral-rewards" }).then(() => undefined);
