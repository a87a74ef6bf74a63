import "server-only";
import { payDueReferrals } from "@/lib/forms/referral";
import type { Job } from "pg-boss";
import { getDb } from "@/db";
import { removeUntrustedAppleCertificates, warnExpiringCertificates } from "@/lib/certificates";
import { deliverMessage, fanOutOutbox, sweepOutbox } from "@/lib/outbox";
import { checkDeliveryStatuses } from "@/lib/messaging/delivery-status";
import { syncTemplateClass } from "@/lib/wallet/google/class-sync";
import { drainWalletUpdates } from "@/lib/wallet/drain";
import { expireDueCards } from "@/lib/cards/expiry";
import { expireAllDueCertificates } from "@/lib/gift-certificates/expiry";
import { failCardImport, resumeStalledCardImports, runCardImportJob } from "@/lib/cards/import";
import { purgeIdempotencyKeys } from "@/lib/api/idempotency-purge";
import { purgeRateLimitWindows } from "@/lib/api/rate-limit";
import { failCardSend, resumeStalledCardSends, runCardSendJob } from "@/lib/cards/bulk-send";
import { runPointsExpiryJob } from "@/lib/ledger/expiry";
import { deliverWebhooks } from "@/lib/webhooks/deliver";
import { foldAll } from "@/lib/reports/fold";
import { runPushEventJob, tickPushEvents } from "@/lib/push-events/run";
import { runTriggersJob } from "@/lib/push-events/triggers";
import { runTillCodeExpiryJob } from "@/lib/till/expiry";
import { runRotatingQrJob, type QrDailyCursor } from "@/lib/till/qr-daily";
import { sendAuthorizationPin, type PinJob } from "@/lib/till/pin";
import { QUEUE_OPTIONS, QUEUES, type QueueName } from "./queues";

type Handler = (job: Job<Record<string, unknown>>) => Promise<unknown>;

/** One place that says which function handles which queue. */
export const HANDLERS: Record<QueueName, Handler> = {
  [QUEUES.outboxSend]: async (job) => deliverMessage(String(job.data.id), { isLast: job.retryCount >= QUEUE_OPTIONS[QUEUES.outboxSend].retryLimit }),
  [QUEUES.outboxFanOut]: async (job) => fanOutOutbox((job.data.ids as unknown[]).map(String)).then(() => ({ messages: (job.data.ids as unknown[]).length })),
  [QUEUES.outboxSweep]: async () => ({ dispatched: await sweepOutbox() }),
  [QUEUES.outboxStatus]: async () => checkDeliveryStatuses(getDb()),
  [QUEUES.certificateExpiry]: async () => ({
    untrustedRemoved: await removeUntrustedAppleCertificates(getDb()),
    warned: await warnExpiringCertificates(getDb()),
  }),
  [QUEUES.googleClassSync]: async (job) => ({ result: await syncTemplateClass(getDb(), String(job.data.merchantId), String(job.data.templateId)) }),
  [QUEUES.walletDrain]: async () => drainWalletUpdates(getDb()),
  // Gift certificates first: their remainder is written off through the ledger (lib/gift-certificates/expiry).
  [QUEUES.cardExpiry]: async () => ({ certificates: await expireAllDueCertificates(getDb()), expired: await expireDueCards(getDb()) }),
  [QUEUES.idempotencyPurge]: async () => ({ purged: await purgeIdempotencyKeys(getDb()), rateLimitWindows: await purgeRateLimitWindows(getDb()) }),
  // One batch per job. A batch that throws rolled back whole and its retry resumes from the last
  // committed one; only when a batch keeps failing does the send or import say it failed.
  [QUEUES.cardSend]: async (job) => {
    const sendId = String(job.data.sendId);
    try {
      return await runCardSendJob(getDb(), sendId);
    } catch (err) {
      if (job.retryCount >= QUEUE_OPTIONS[QUEUES.cardSend].retryLimit) await failCardSend(getDb(), sendId, err instanceof Error ? err.message : String(err));
      throw err;
    }
  },
  [QUEUES.cardImport]: async (job) => {
    const importId = String(job.data.importId);
    try {
      return await runCardImportJob(getDb(), importId);
    } catch (err) {
      if (job.retryCount >= QUEUE_OPTIONS[QUEUES.cardImport].retryLimit)
        await failCardImport(getDb(), importId, err instanceof Error ? err.message : String(err));
      throw err;
    }
  },
  [QUEUES.longWorkSweep]: async () => ({ sends: await resumeStalledCardSends(getDb()), imports: await resumeStalledCardImports(getDb()) }),
  [QUEUES.pointsExpiry]: async () => runPointsExpiryJob(getDb()),
  [QUEUES.webhookDeliver]: async () => deliverWebhooks(getDb()),
  [QUEUES.reportsFold]: async () => foldAll(getDb()),
  [QUEUES.pushEventRun]: async (job) => runPushEventJob(getDb(), String(job.data.id)),
  [QUEUES.pushEventTick]: async () => ({ queued: await tickPushEvents(getDb()) }),
  [QUEUES.pushTriggers]: async () => runTriggersJob(getDb()),
  [QUEUES.tillCodeExpiry]: async () => runTillCodeExpiryJob(getDb()),
  [QUEUES.rotatingQrDaily]: async (job) => runRotatingQrJob(getDb(), job.data as Partial<QrDailyCursor>),
  [QUEUES.tillPin]: async (job) => ({ sent: await sendAuthorizationPin(getDb(), job.data as PinJob) }),
  [QUEUES.referralRewards]: async () => payDueReferrals(getDb()),
};
