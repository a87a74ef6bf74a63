import "server-only";
import { getBoss } from "@/lib/jobs/boss";
import { logger } from "@/lib/logger";

const state = globalThis as unknown as { __carddeskWakeSlots?: Map<string, number> };
const slots = (state.__carddeskWakeSlots ??= new Map<string, number>());

/**
 * Wakes a job after commit at most once per slot of `seconds` per process. pg-boss's `sendThrottled`
 * keeps one job per slot in the database; this keeps the round trip away too. The slot is claimed
 * before the round trip, so the purchases in flight when a slot begins do not each send one (they
 * did: at a busy till every slot started with a burst of inserts). A failed send gives the slot back.
 * A lost wake-up is harmless: every woken job also runs on a schedule and finds the durable rows.
 */
export async function wakeThrottled(queue: string, seconds: number, options: { startAfter?: number; key: string }, what: string): Promise<void> {
  const slotKey = `${queue}:${options.key}`;
  const slot = Math.floor(Date.now() / 1000 / seconds);
  if (slots.get(slotKey) === slot) return;
  if (slots.size > 256) slots.clear(); // keys carry a retry's delay: keep the map small
  slots.set(slotKey, slot);
  try {
    const boss = await getBoss();
    await boss.sendThrottled(queue, {}, options.startAfter ? { startAfter: options.startAfter } : {}, seconds, options.key);
  } catch (err) {
    if (slots.get(slotKey) === slot) slots.delete(slotKey);
    logger.warn(`${what} not scheduled; its schedule will run it`, { error: String(err) });
  }
}
