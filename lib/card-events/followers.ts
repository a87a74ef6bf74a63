import "server-only";
import { referralFollower, scheduleReferralRewards } from "@/lib/forms/referral-follower";
import { QUEUES } from "@/lib/jobs/queues";
import { reportsFollower, scheduleReportsFold } from "@/lib/reports/follower";
import { scheduleTriggers, triggersFollower } from "@/lib/push-events/trigger-follower";
import { walletFollower } from "@/lib/wallet/follower";
import { scheduleWalletDrain } from "@/lib/wallet/queue";
import { webhooksFollower } from "@/lib/webhooks/follower";
import { scheduleWebhookRun } from "@/lib/webhooks/queue";
import type { Follower } from "./types";

/**
 * Every follower of the events door, in one place. Adding a consumer (webhooks, report rollups,
 * triggered messages) is one follower file and one line here; no change site changes.
 */
export const followers: Follower[] = [walletFollower, webhooksFollower, reportsFollower, triggersFollower, referralFollower];

/**
 * How each job a follower names is woken after commit. A lost wake-up is harmless: each of these jobs
 * also runs on a schedule and picks up the durable rows the followers wrote.
 */
export const wakers: Record<string, () => Promise<void>> = {
  [QUEUES.walletDrain]: () => scheduleWalletDrain(),
  [QUEUES.webhookDeliver]: () => scheduleWebhookRun(),
  [QUEUES.reportsFold]: () => scheduleReportsFold(),
  [QUEUES.pushTriggers]: () => scheduleTriggers(),
  [QUEUES.referralRewards]: () => scheduleReferralRewards(),
};
