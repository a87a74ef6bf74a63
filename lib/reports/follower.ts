import "server-only";
import { sql } from "drizzle-orm";
import { reusableSql } from "@/db/reusable";
import { pgArray } from "@/db/rows";
import type { Follower } from "@/lib/card-events/types";
import type { EventName } from "@/lib/card-events/names";
import { QUEUES } from "@/lib/jobs/queues";
import { wakeThrottled } from "@/lib/jobs/wake";

/** The events some report counts (lib/reports/fold.ts says how). */
export const REPORTED_EVENTS: ReadonlySet<EventName> = new Set<EventName>([
  "card.issued",
  "card.installed",
  "card.removed",
  "card.blocked",
  "card.unblocked",
  "card.deactivated",
  "card.activated",
  "card.moved",
  "card.expiry_changed",
  "card.expired",
  "card.deleted",
  "points.accrued",
  "points.redeemed",
  "points.adjusted",
  "points.reversed",
  "points.expired",
  "wallet.push_sent",
  "wallet.push_failed",
  // A campaign's delivery to a card (its outcomes per platform: lib/push-events/delivery).
  "push.delivered",
  "certificate.issued",
  "certificate.opened",
  "certificate.redeemed",
  "certificate.expired",
]);

// Sent with the events' insert (the door's RideAlong), or on its own.
const APPEND_TO_INBOX = sql`insert into report_inbox (event_id) select unnest(${sql.placeholder("reportEventIds")}::uuid[]) returning event_id`;
// Built once (db/reusable).
const appendToInbox = reusableSql<{ reportEventIds: string }>(APPEND_TO_INBOX);

/**
 * The reports follow the door by appending each event's id to `report_inbox`, in the change's own
 * transaction. Deliberately nothing more: a rollup row of the merchant touched here would be one row
 * every till of the merchant writes, serialising their purchases. The fold job aggregates the inbox.
 */
export const reportsFollower: Follower = {
  name: "reports",
  follows: REPORTED_EVENTS,
  rideAlong: {
    sql: APPEND_TO_INBOX,
    values: (events) => ({ reportEventIds: pgArray(events.map((e) => e.id)) }),
    after: async () => [QUEUES.reportsFold],
  },
  async follow(tx, _ctx, events) {
    await appendToInbox(tx, { reportEventIds: pgArray(events.map((e) => e.id)) });
    return [QUEUES.reportsFold];
  },
};

const THROTTLE_SECONDS = 2;

/** Wakes the fold a moment after commit, at most once per two seconds per process (lib/jobs/wake); the minute schedule catches a lost wake-up. */
export async function scheduleReportsFold(): Promise<void> {
  await wakeThrottled(QUEUES.reportsFold, THROTTLE_SECONDS, { startAfter: THROTTLE_SECONDS, key: "fold" }, "reports fold");
}
