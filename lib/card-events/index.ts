import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { reusableSql } from "@/db/reusable";
import { jsonRows, pgArray, rowsOf } from "@/db/rows";
import { cardEvents } from "@/db/schema";
import { uuidV7 } from "@/lib/crypto/uuid7";
import { logger } from "@/lib/logger";
import { actorColumns } from "./actor";
import { followers, wakers } from "./followers";
import type { DomainEvent, EventContext, Follower, RecordedEvent } from "./types";

export type { CardActor } from "./actor";
export type { DomainEvent, EventContext, Follower, RecordedEvent } from "./types";
export { EVENT_NAMES, isEventName, type EventName } from "./names";
export { eventIdFromPublic, publicEventId } from "./public-id";

/** Jobs to wake once the transaction that recorded the events has committed. */
export type Wake = Set<string>;

// The events' insert. Its text starts with its verb and table, as drizzle's own would: operators
// (and a test) find it in pg_stat_activity so; with followers riding along it is the first CTE.
// The events come as arrays, each data once: a batch's events mostly carry the same data (a
// campaign batch's cards each delivered one push), and parsing it once per event was a quarter of the
// insert (bench/push). Inserted in the order given, which the feed's seq keeps.
const EVENTS_INSERT = sql`insert into ${cardEvents} (id, merchant_id, card_id, type, data, actor_type, actor_id)
    select r.id, ${sql.placeholder("merchantId")}::uuid, r.card_id, r.type, d.data, ${sql.placeholder("actorType")}, ${sql.placeholder("actorId")}
    from unnest(${sql.placeholder("ids")}::uuid[], ${sql.placeholder("cardIds")}::uuid[], ${sql.placeholder("types")}::text[], ${sql.placeholder("dataAt")}::int[])
      with ordinality as r(id, card_id, type, at, n)
    join jsonb_array_elements(${sql.placeholder("datas")}::jsonb) with ordinality as d(data, at) on d.at = r.at
    order by r.n`;
type Statement = (db: Db, values: Record<string, unknown>) => Promise<unknown>;
const insertEvents: Statement = reusableSql(EVENTS_INSERT);

/** The events as the insert's parameters: ids, cards and types as arrays; each distinct data once, and where each event's is (1-based). */
function eventColumns(events: RecordedEvent[]): Record<string, string> {
  const datas: string[] = [];
  const seen = new Map<string, number>();
  const dataAt = events.map((e) => {
    const data = JSON.stringify(e.data ?? {});
    let at = seen.get(data);
    if (at === undefined) seen.set(data, (at = datas.push(data)));
    return at;
  });
  return {
    ids: pgArray(events.map((e) => e.id)),
    cardIds: pgArray(events.map((e) => e.cardId)),
    types: pgArray(events.map((e) => e.type)),
    dataAt: `{${dataAt.join(",")}}`,
    datas: `[${datas.join(",")}]`,
  };
}

/**
 * The events' insert with the statements of the followers riding along, one statement, built once per
 * set of riders (db/reusable; a handful of sets exist). Each rider's rows come back as one JSON column.
 */
const withRiders = new Map<string, Statement>();
function statementFor(riders: Follower[]): Statement {
  const key = riders.map((f) => f.name).join(",");
  let run = withRiders.get(key);
  if (!run) {
    const ctes = riders.map((f, i) => sql`, ${sql.raw(`f${i}`)} as (${f.rideAlong!.sql})`);
    const columns = riders.map((_, i) => sql.raw(`(select coalesce(json_agg(f${i}), '[]'::json) from f${i}) as f${i}`));
    run = reusableSql(sql`with e as (${EVENTS_INSERT} returning 1)${sql.join(ctes)} select ${sql.join(columns, sql`, `)}`);
    withRiders.set(key, run);
  }
  return run;
}

/**
 * The only code that writes events. Inside the caller's transaction: appends the events (they are
 * never updated or deleted, and outlive their card), then hands them to every follower that follows
 * any of them, each writing its own durable work in the same transaction. Followers whose work starts
 * with one statement send it with the events' insert (`RideAlong`): one round trip for them all.
 * Returns the jobs to wake after commit: pass them to `wake`, or use `withEvents`, which does both.
 */
export async function record(tx: Db, ctx: EventContext, events: DomainEvent[]): Promise<Wake> {
  const wake: Wake = new Set();
  if (!events.length) return wake;
  const who = actorColumns(ctx.actor);
  const recorded: RecordedEvent[] = events.map((e) => ({ ...e, id: uuidV7(), merchantId: ctx.merchantId, cardId: e.cardId ?? null }));
  // One statement and a parameter per column however many events (a CSV import records 500 at a
  // time); the ids are made here (time-ordered, so the primary key grows at its right edge), so
  // nothing depends on the order RETURNING would give them back in.
  const values: Record<string, unknown> = { merchantId: ctx.merchantId, actorType: who.actorType, actorId: who.actorId, ...eventColumns(recorded) };
  const following = followers.flatMap((follower) => {
    const mine = recorded.filter((e) => follower.follows.has(e.type));
    return mine.length ? [{ follower, mine }] : [];
  });
  const riders = following.filter(({ follower, mine }) => follower.rideAlong && (follower.rideAlong.applies?.(mine, ctx) ?? true));
  let ridden: Record<string, unknown> = {};
  if (riders.length) {
    for (const { follower, mine } of riders) Object.assign(values, follower.rideAlong!.values(mine, ctx));
    const result = await statementFor(riders.map((r) => r.follower))(tx, values);
    ridden = rowsOf<Record<string, unknown>>(result)[0] ?? {};
  } else await insertEvents(tx, values);
  for (const entry of following) {
    const { follower, mine } = entry;
    const i = riders.indexOf(entry);
    const jobs = i >= 0 ? await follower.rideAlong!.after(tx, ctx, mine, jsonRows(ridden[`f${i}`])) : await follower.follow(tx, ctx, mine);
    for (const job of jobs) wake.add(job);
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
