import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { reusableSql } from "@/db/reusable";
import { cardEvents } from "@/db/schema";
import { logger } from "@/lib/logger";
import { actorColumns } from "./actor";
import { followers, wakers } from "./followers";
import type { DomainEvent, EventContext, RecordedEvent } from "./types";

export type { CardActor } from "./actor";
export type { DomainEvent, EventContext, Follower, RecordedEvent } from "./types";
export { EVENT_NAMES, isEventName, type EventName } from "./names";
export { eventIdFromPublic, publicEventId } from "./public-id";

/** Jobs to wake once the transaction that recorded the events has committed. */
export type Wake = Set<string>;

// Built once (db/reusable): every change runs it. It starts with its verb and table, as drizzle's own
// would: operators (and a test) find it in pg_stat_activity so.
const insertEvents = reusableSql<{
  merchantId: string;
  actorType: string;
  actorId: string | null;
  rows: string;
}>(sql`insert into ${cardEvents} (id, merchant_id, card_id, type, data, actor_type, actor_id)
    select r.id, ${sql.placeholder("merchantId")}::uuid, r.card_id, r.type, r.data, ${sql.placeholder("actorType")}, ${sql.placeholder("actorId")}
    from jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) as r(id uuid, card_id uuid, type text, data jsonb)`);

/**
 * The only code that writes events. Inside the caller's transaction: appends the events (they are
 * never updated or deleted, and outlive their card), then hands them to every follower that follows
 * any of them, each writing its own durable work in the same transaction. Returns the jobs to wake
 * after commit: pass them to `wake`, or use `withEvents`, which does both.
 */
export async function record(tx: Db, ctx: EventContext, events: DomainEvent[]): Promise<Wake> {
  const wake: Wake = new Set();
  if (!events.length) return wake;
  const who = actorColumns(ctx.actor);
  const recorded: RecordedEvent[] = events.map((e) => ({ ...e, id: randomUUID(), merchantId: ctx.merchantId, cardId: e.cardId ?? null }));
  // One statement and one parameter however many events (a CSV import records 500 at a time); the ids
  // are made here, so nothing depends on the order RETURNING would give them back in.
  const rows = JSON.stringify(recorded.map((e) => ({ id: e.id, card_id: e.cardId, type: e.type, data: e.data ?? {} })));
  await insertEvents(tx, { merchantId: ctx.merchantId, actorType: who.actorType, actorId: who.actorId, rows });
  for (const follower of followers) {
    const mine = recorded.filter((e) => follower.follows.has(e.type));
    if (!mine.length) continue;
    for (const job of await follower.follow(tx, ctx, mine)) wake.add(job);
  }
  return wake;
}

/** Wakes the jobs that recorded events named; a failure is only logged (each job also runs on a schedule). */
export async function wake(jobs: Iterable<string>): Promise<void> {
  for (const job of jobs) {
    try {
      await wakers[job]?.();
    } catch (err) {
      logger.warn("job not woken; its schedule will run it", { job, error: String(err) });
    }
  }
}

/** What `withEvents` hands its work: record events in this transaction, woken after commit. */
export type Recorder = (ctx: EventContext, events: DomainEvent[]) => Promise<void>;

/**
 * Runs `work` in a transaction with a recorder, then wakes what the recorded events' followers named,
 * after commit. Inside an outer transaction this is a savepoint and the wake-up may come early: the
 * followers' rows are durable, so the job's schedule picks them up after the outer commit.
 */
export async function withEvents<T>(db: Db, work: (tx: Db, record: Recorder) => Promise<T>): Promise<T> {
  const pending: Wake = new Set();
  const result = await db.transaction((tx) =>
    work(tx, async (ctx, events) => {
      for (const job of await record(tx, ctx, events)) pending.add(job);
    }),
  );
  await wake(pending);
  return result;
}
