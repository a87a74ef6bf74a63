import "server-only";
import { sql } from "drizzle-orm";
import { pgArray, rowsOf } from "@/db/rows";
import type { Follower } from "@/lib/card-events/types";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";

/**
 * A referred friend's card reaching a wallet (`card.installed`) or first used at a till or through the
 * API (points moved by anyone but the system: welcome and referral points are the system's) makes the
 * referral's rewards due, in the change's own transaction; the referral job pays them (lib/forms/referral).
 * One indexed probe per event, on referrals.friend_card_id.
 */
export const referralFollower: Follower = {
  name: "referrals",
  follows: new Set(["card.installed", "points.accrued", "points.redeemed"] as const),
  async follow(tx, ctx, events) {
    const installed = events.filter((e) => e.cardId && e.type === "card.installed").map((e) => e.cardId!);
    const used = ctx.actor.type === "system" ? [] : events.filter((e) => e.cardId && e.type !== "card.installed").map((e) => e.cardId!);
    if (!installed.length && !used.length) return [];
    const rows = rowsOf(
      await tx.execute(sql`
        update referrals set due_at = now()
        where merchant_id = ${ctx.merchantId}::uuid and due_at is null and rewarded_at is null
          and ((reward_on = 'installed' and friend_card_id = any(${pgArray(installed)}::uuid[]))
            or friend_card_id = any(${pgArray(used)}::uuid[]))
        returning id`),
    );
    return rows.length ? [QUEUES.referralRewards] : [];
  },
};

export const scheduleReferralRewards = () => enqueue(QUEUES.referralRewards, {}, { singletonKey: "referral-rewards" }).then(() => undefined);
