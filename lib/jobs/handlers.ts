import "server-only";
import type { Job } from "pg-boss";
import { getDb } from "@/db";
import { warnExpiringCertificates } from "@/lib/certificates";
import { deliverMessage, sweepOutbox } from "@/lib/outbox";
import { syncTemplateClass } from "@/lib/passes/google/sync";
import { QUEUE_OPTIONS, QUEUES, type QueueName } from "./queues";

type Handler = (job: Job<Record<string, unknown>>) => Promise<unknown>;

/** One place that says which function handles which queue. */
export const HANDLERS: Record<QueueName, Handler> = {
  [QUEUES.outboxSend]: async (job) =>
    deliverMessage(String(job.data.id), { isLast: job.retryCount >= QUEUE_OPTIONS[QUEUES.outboxSend].retryLimit }),
  [QUEUES.outboxSweep]: async () => ({ dispatched: await sweepOutbox() }),
  [QUEUES.certificateExpiry]: async () => ({ warned: await warnExpiringCertificates(getDb()) }),
  [QUEUES.googleClassSync]: async (job) => ({ result: await syncTemplateClass(getDb(), String(job.data.merchantId), String(job.data.templateId)) }),
};
