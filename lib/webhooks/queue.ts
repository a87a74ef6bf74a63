import "server-only";
import { QUEUES } from "@/lib/jobs/queues";
import { wakeThrottled } from "@/lib/jobs/wake";

/**
 * Wakes the webhook worker (now, or when the next retry falls due), at most once a second per delay
 * (lib/jobs/wake); a lost wake-up is caught by the minute schedule.
 */
export async function scheduleWebhookRun(delaySeconds = 0): Promise<void> {
  await wakeThrottled(QUEUES.webhookDeliver, 1, { startAfter: delaySeconds > 0 ? delaySeconds : undefined, key: `run-${delaySeconds}` }, "webhook run");
}
