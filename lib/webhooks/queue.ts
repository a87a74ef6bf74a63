import "server-only";
import { getBoss } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { logger } from "@/lib/logger";

const throttle = globalThis as unknown as { __carddeskWebhookSlot?: string };

/**
 * Wakes the webhook worker (now, or when the next retry falls due). Throttled to one job a second per
 * delay, so a burst of events makes a handful of jobs; a lost wake-up is caught by the minute schedule.
 */
export async function scheduleWebhookRun(delaySeconds = 0): Promise<void> {
  const slot = `${Math.floor(Date.now() / 1000)}:${delaySeconds}`;
  if (throttle.__carddeskWebhookSlot === slot) return;
  try {
    const boss = await getBoss();
    await boss.sendThrottled(QUEUES.webhookDeliver, {}, delaySeconds > 0 ? { startAfter: delaySeconds } : {}, 1, `run-${delaySeconds}`);
    throttle.__carddeskWebhookSlot = slot;
  } catch (err) {
    logger.warn("webhook run not scheduled; the minute schedule will run it", { error: String(err) });
  }
}
