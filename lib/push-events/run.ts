import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";
import { cards, merchants, pushEvents, pushSettings, type PushEvent } from "@/db/schema";
import { nextUpdateTag } from "@/db/queries/card-status";
import { withEvents, type Recorder } from "@/lib/card-events";
import { boundBatchTransaction, runBatches, STALLED_AFTER_MS } from "@/lib/jobs/batch";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { dispatchOutboxMany } from "@/lib/outbox";
import { queueWalletUpdates } from "@/lib/wallet/queue";
import { LEASE_SECONDS, pushBatchOf, tellPushBatch, type DrainOptions, type PushBatch } from "@/lib/wallet/drain";
import { logger } from "@/lib/logger";
import { queueSmsNews } from "./sms";
import { audienceCardIdsAfter, audienceIdsAfter, countAudienceCards } from "./audience";
import { hourIn, inQuietHours } from "./zone";

/**
 * Cards per step of a run: a push's batch (its cards written, their wallets told and settled
 * together), a promotion's or SMS news's step. A thousand rather than five hundred: a campaign's
 * statements and round trips halve for the same work, which made the push run about 4 % faster on a
 * busy 2-core machine (bench/push).
 */
export const PUSH_BATCH = 1000;

/**
 * Queues the event's run (at its start time, or now). `short` keeps one waiting job per key: one for
 * "now" per event, and one per moment it is due later. So a start moved earlier (or the minute tick
 * finding it due) is not swallowed by the job still waiting for the old time; that one, when it comes,
 * finds the event running or finished and carries on from its checkpoint or does nothing.
 */
export async function enqueuePushEventRun(id: string, startAt: Date | null, delaySeconds = 0): Promise<void> {
  const seconds = Math.max(delaySeconds, startAt ? Math.ceil((startAt.getTime() - Date.now()) / 1000) : 0);
  if (seconds <= 0) return void (await enqueue(QUEUES.pushEventRun, { id }, { singletonKey: id }));
  const at = new Date(Math.ceil((Date.now() + seconds * 1000) / 60_000) * 60_000).toISOString();
  await enqueue(QUEUES.pushEventRun, { id }, { singletonKey: `${id}@${at}`, startAfter: seconds });
}

async function quietNow(db: Db, merchantId: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ from: pushSettings.quietFrom, to: pushSettings.quietTo, zone: merchants.timeZone })
    .from(merchants)
    .leftJoin(pushSettings, eq(pushSettings.merchantId, merchants.id))
    .where(eq(merchants.id, merchantId));
  return !!row && inQuietHours(hourIn(row.zone, now), row.from, row.to);
}

/**
 * `telling`: the step's cards' wallets being told, after its commit (a push run with `tell`);
 * `written`: the step wrote the audience's last cards; `cursor`: a push's event as its batch left it,
 * for its next batch (pushBatchStep).
 */
export type RunStep = { more: boolean; recheckSeconds?: number; endAt?: Date; telling?: Promise<void>; written?: boolean; cursor?: PushEvent };

/**
 * `tell`: a push's run tells its cards' wallets itself, each batch as soon as it has committed,
 * rather than leaving them to the wallet drain (the worker's run does; without it the rows are left
 * due for the drain).
 */
export type RunOptions = { now?: Date; size?: number; tell?: DrainOptions };

const ctxOf = (row: PushEvent) => ({ merchantId: row.merchantId, actor: { type: "system" } as const });

/** The event's end: finished, and `campaign.finished` through the events door (a delete's too). */
export async function finish(tx: Db, rec: Recorder, row: PushEvent): Promise<void> {
  await tx
    .update(pushEvents)
    .set({ state: "finished", finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(pushEvents.id, row.id), eq(pushEvents.merchantId, row.merchantId)));
  await rec(ctxOf(row), [
    { type: "campaign.finished", data: { campaignId: row.id, type: row.type, processed: row.processed, deleted: row.deletedAt !== null } },
  ]);
}

/**
 * One batch of a push's audience, in one statement (the run's steps are its serial part, and the
 * worker's event loop is busy telling the batches before them, so each round trip costs): the next
 * cards after the checkpoint get the campaign's message in their news field, and the checkpoint moves
 * past them, to the settle phase after the last. The ones some wallet holds are to be told:
 * - `tell`: as one push_event_batches row leased to this run, which tells them itself once the step
 *   has committed and deletes the row as it records what their wallets did; a run killed before
 *   that leaves the row to the drain when the lease runs out (no card skipped);
 * - else: as wallet queue rows due at once, with the campaign's id, for the drain.
 * Either way their pushes and Google messages count toward the campaign (lib/push-events/delivery).
 * Returns how many cards the batch took and the batch to tell.
 */
type WrittenBatch = { taken: number; moved: boolean; afterCardId: string | null; batch: PushBatch | null };

async function writePushBatch(db: Db, row: PushEvent, size: number, tell: boolean): Promise<WrittenBatch> {
  // The batch's wallets (its cards' registrations and their devices), read once: they make its row,
  // and come back with it, so its telling looks nothing up again (bench/push).
  const wallets = sql`
    wallets as (
      select w.id as card_id, d.id as device_id, d.platform, d.push_token, d.pass_type_id, d.model
      from written w join wallet_registrations r on r.card_id = w.id and r.merchant_id = w.merchant_id
      join wallet_devices d on d.id = r.device_id and d.merchant_id = r.merchant_id),`;
  const told = tell
    ? sql`
        insert into push_event_batches (event_id, merchant_id, card_ids, lease_until)
        select ${row.id}::uuid, ${row.merchantId}::uuid, array_agg(distinct h.card_id order by h.card_id), clock_timestamp() + make_interval(secs => ${LEASE_SECONDS})
        from wallets h
        having count(*) > 0
        returning id, event_id, merchant_id, to_json(card_ids) as card_ids, attempts`
    : sql`
        insert into wallet_updates (card_id, merchant_id, due_at, changed_at, campaign_id)
        select w.id, w.merchant_id, now(), clock_timestamp(), ${row.id}::uuid from written w
        where exists (select 1 from wallet_registrations r where r.card_id = w.id and r.merchant_id = w.merchant_id)
        -- The campaign takes the row over: its own attempts (a pending row's backoff is not its own).
        on conflict (card_id) do update set changed_at = clock_timestamp(), revision = wallet_updates.revision + 1,
          campaign_id = excluded.campaign_id, attempts = 0, last_error = null
        returning card_id`;
  const [result] = rowsOf<{ taken: number | string; moved: number | string; after: string | null; batch: unknown; wallets: unknown }>(
    await db.execute(sql`
      with ids as (${audienceIdsAfter(row.merchantId, row.audience, row.afterCardId, size)}),
      -- The batch is written only from the checkpoint it was read at, by one writer at a time: the
      -- event's run lock (a step's transaction holds it already; a statement on its own takes it here),
      -- then the event's row, still running this batch's phase from that checkpoint. Locking the row
      -- reads its latest version (read committed), so a batch another writer committed since this
      -- statement began leaves this one writing nothing (moved: false). A key-share lock: the settles
      -- adding to the event's figures meanwhile are not held up by it (only by the checkpoint, last).
      run_lock as (select pg_advisory_xact_lock(hashtextextended(${runLockKey(row.id)}, 0))),
      guard as (
        select p.id from push_events p, run_lock
        where p.id = ${row.id}::uuid and p.merchant_id = ${row.merchantId}::uuid and p.state = 'running' and p.phase = 'start'
          and p.deleted_at is null and p.after_card_id is not distinct from ${row.afterCardId}::uuid
        for key share of p),
      -- Not updated_at: a campaign's message is not a change of the card's own data (the card lists
      -- would put a whole campaign's cards on top), and with no indexed column changed PostgreSQL
      -- updates the rows in place (HOT, with room left in cards' pages: 0034_cards_fillfactor).
      written as (
        update cards set news = ${row.message}, update_tag = ${nextUpdateTag}
        where merchant_id = ${row.merchantId}::uuid and id in (select id from ids) and exists (select 1 from guard)
        returning id, merchant_id),
      ${tell ? wallets : sql``}
      told as (${told}),
      -- Last (it reads told, so PostgreSQL writes it after the cards and their batch): the event's row
      -- is held only from here to the commit, as the tellings' settles, which add to its figures, expect.
      checkpoint as (
        update push_events set
          after_card_id = coalesce((select id from ids order by id desc limit 1), after_card_id),
          processed = processed + (select count(*) from ids),
          phase = case when (select count(*) from ids) < ${size} then 'settle' else phase end,
          updated_at = now()
        where id = ${row.id}::uuid and merchant_id = ${row.merchantId}::uuid and exists (select 1 from guard) and (select count(*) from told) >= 0
        returning after_card_id)
      select ${tell ? sql`(select row_to_json(told) from told)` : sql`null::json`} as batch,
        ${tell ? sql`(select json_agg(json_build_array(h.card_id, h.device_id, h.platform, h.push_token, h.pass_type_id, h.model)) from wallets h)` : sql`null::json`} as wallets,
        (select count(*) from ids) as taken, (select count(*) from checkpoint) as moved, (select after_card_id from checkpoint) as after`),
  );
  const moved = Number(result?.moved ?? 0) === 1;
  const batch = typeof result?.batch === "string" ? JSON.parse(result.batch) : result?.batch;
  return {
    taken: moved ? Number(result?.taken ?? 0) : 0,
    moved,
    afterCardId: result?.after ?? null,
    batch: moved && batch ? pushBatchOf(batch, result?.wallets) : null,
  };
}

/** The advisory lock one step of an event's run holds (and a delete, so it never lands mid-step). */
export const runLockKey = (id: string) => `push-event-run:${id}`;

/**
 * After a push's batch has committed: its wallets told (`tell`: by this run, at once) or the drain
 * woken for its queue rows; the next batch goes from the checkpoint it moved to (`cursor`).
 */
async function pushBatchWritten(db: Db, row: PushEvent, size: number, written: WrittenBatch, options: RunOptions): Promise<RunStep> {
  const done = written.taken < size;
  const step: RunStep = done
    ? { more: true, written: true }
    : { more: true, cursor: { ...row, afterCardId: written.afterCardId, processed: row.processed + written.taken } };
  // Rows left due (no `tell`) are the drain's, as soon as it can be woken (no coalescing window to wait out).
  if (written.taken > 0 && !options.tell) {
    const { scheduleWalletDrain } = await import("@/lib/wallet/queue");
    await scheduleWalletDrain(0).catch(() => undefined);
  }
  if (written.batch && options.tell) {
    const id = row.id;
    // Never rejects: a telling that fails leaves its batch leased, and the drain takes it after the lease.
    step.telling = tellPushBatch(db, written.batch, options.tell).then(
      () => undefined,
      (err: unknown) => logger.warn("a push event's batch was not told; the wallet drain will", { id, error: String(err) }),
    );
  }
  return step;
}

/**
 * A push's next batch from where its last one left the checkpoint, as one statement on its own: the
 * run's steps are its serial part, and a step's transaction took five more round trips to the
 * database (begin, its bounds, the lock, reading the event, commit), each waiting its turn on an event
 * loop busy telling the batches before (bench/push). Null when the event moved on otherwise (another
 * job wrote the batch, it was deleted, or it reached its end): a full step (runPushEventStep) reads it afresh.
 */
export async function pushBatchStep(db: Db, cursor: PushEvent, options: RunOptions): Promise<RunStep | null> {
  const size = options.size ?? PUSH_BATCH;
  const written = await writePushBatch(db, cursor, size, !!options.tell);
  return written.moved ? pushBatchWritten(db, cursor, size, written, options) : null;
}

/** Lays a promotion's overlay on the step's cards and queues their wallets. */
async function applyPromotion(tx: Db, row: PushEvent, ids: string[]): Promise<void> {
  await tx
    .update(cards)
    .set({ promotionId: row.id, updateTag: nextUpdateTag, updatedAt: sql`now()` })
    .where(and(eq(cards.merchantId, row.merchantId), sql`${cards.id} = any(${pgArray(ids)}::uuid[])`));
  await queueWalletUpdates(tx, row.merchantId, { cardIds: ids });
}

/**
 * One step of an event's run, in one transaction with the event's row locked: the step's card
 * changes, its wallet queue rows, its counters and the checkpoint commit together, so a worker
 * killed mid-step leaves nothing half-done and the retry starts from the same checkpoint (no card is
 * skipped, none done twice). A second job on the same event waits for the row and goes on after it.
 */
export async function runPushEventStep(db: Db, id: string, options: RunOptions = {}): Promise<RunStep> {
  const now = options.now ?? new Date();
  const size = options.size ?? PUSH_BATCH;
  let wakeDrain = false;
  let pushBatch: { row: PushEvent; written: WrittenBatch } | null = null;
  const outboxIds: string[] = [];
  const step = await withEvents(db, async (tx, rec): Promise<RunStep> => {
    await boundBatchTransaction(tx);
    // One step of an event at a time (a second job waits here, then goes on from the checkpoint the
    // first committed). An advisory lock rather than the event's row: the wallet drain adds its
    // figures to that row as each batch is told, and with the row held for a whole step the run and
    // the drain took turns instead of working side by side (bench/push). Each writes the row last.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${runLockKey(id)}, 0))`);
    let [row] = await tx.select().from(pushEvents).where(eq(pushEvents.id, id));
    // Starting takes the row itself, so an edit of the scheduled event either lands before it or is refused.
    if (row?.state === "scheduled") [row] = await tx.select().from(pushEvents).where(eq(pushEvents.id, id)).for("update");
    if (!row || row.state === "finished") return { more: false };
    const where = and(eq(pushEvents.id, row.id), eq(pushEvents.merchantId, row.merchantId));

    if (row.state === "scheduled") {
      if (row.deletedAt) return { more: false };
      if (row.startAt && row.startAt.getTime() > now.getTime()) return { more: false };
      if (row.type !== "promotion" && (await quietNow(tx, row.merchantId, now))) return { more: false };
      const total = await countAudienceCards(tx, row.merchantId, row.audience);
      await tx
        .update(pushEvents)
        .set({ state: "running", phase: "start", total, startedAt: sql`now()`, updatedAt: sql`now()` })
        .where(where);
      await rec(ctxOf(row), [{ type: "campaign.started", data: { campaignId: row.id, type: row.type, total } }]);
      return { more: true };
    }

    if (row.phase === "start") {
      if (row.deletedAt && row.type !== "promotion") {
        await finish(tx, rec, row);
        return { more: false };
      }
      // A promotion deleted while it was being laid on: what is on the cards comes off again.
      if (row.deletedAt) {
        await tx
          .update(pushEvents)
          .set({ phase: "revert", afterCardId: null, updatedAt: sql`now()` })
          .where(where);
        return { more: true };
      }
      if (row.type === "push") {
        const written = await writePushBatch(tx, row, size, !!options.tell);
        // Deleted since this step read it (a delete does not wait for the run's lock): nothing was
        // written, and the next step reads the event afresh.
        if (!written.moved) return { more: true };
        pushBatch = { row, written };
        return { more: true };
      }
      const ids = await audienceCardIdsAfter(tx, row.merchantId, row.audience, row.afterCardId, size);
      if (ids.length && row.type === "sms") outboxIds.push(...(await queueSmsNews(tx, row, ids)));
      else if (ids.length) {
        await applyPromotion(tx, row, ids);
        wakeDrain = true;
      }
      const done = ids.length < size;
      const next = row.type === "promotion" ? "live" : null;
      await tx
        .update(pushEvents)
        .set({
          afterCardId: ids.length ? ids[ids.length - 1] : row.afterCardId,
          processed: sql`${pushEvents.processed} + ${ids.length}`,
          ...(done && next ? { phase: next } : {}),
          updatedAt: sql`now()`,
        })
        .where(where);
      if (done && !next) await finish(tx, rec, { ...row, processed: row.processed + ids.length });
      // A promotion now on show is looked at again when it is due to end (the minute tick also catches it).
      if (done && next === "live" && row.endAt) return { more: false, endAt: row.endAt };
      return { more: !done, ...(done ? { written: true } : {}) };
    }

    if (row.phase === "settle") {
      // Finished once every wallet has been told: the campaign's batches and queue rows are gone.
      const [left] = rowsOf<{ n: string | number }>(
        await tx.execute(sql`
          select (select count(*) from push_event_batches where event_id = ${row.id}::uuid and merchant_id = ${row.merchantId}::uuid)
            + (select count(*) from wallet_updates where campaign_id = ${row.id}::uuid and merchant_id = ${row.merchantId}::uuid) as n`),
      );
      if (Number(left?.n ?? 0) > 0) {
        await tx
          .update(pushEvents)
          .set({ updatedAt: sql`now()` })
          .where(where);
        return { more: false, recheckSeconds: 2 };
      }
      await finish(tx, rec, row);
      return { more: false };
    }

    if (row.phase === "live") {
      // Deleted, or due to end: it comes off the cards.
      if (!row.deletedAt && (!row.endAt || row.endAt.getTime() > now.getTime())) return { more: false, ...(row.endAt ? { endAt: row.endAt } : {}) };
      await tx
        .update(pushEvents)
        .set({ phase: "revert", afterCardId: null, updatedAt: sql`now()` })
        .where(where);
      return { more: true };
    }

    // revert: the promotion comes off its cards, which show their template's current version again.
    const ids = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from cards where merchant_id = ${row.merchantId}::uuid and promotion_id = ${row.id}::uuid order by id limit ${size}`),
    ).map((r) => r.id);
    if (ids.length) {
      await tx
        .update(cards)
        .set({ promotionId: null, updateTag: nextUpdateTag, updatedAt: sql`now()` })
        .where(and(eq(cards.merchantId, row.merchantId), sql`${cards.id} = any(${pgArray(ids)}::uuid[])`));
      await queueWalletUpdates(tx, row.merchantId, { cardIds: ids });
      wakeDrain = true;
    }
    if (ids.length < size) {
      await finish(tx, rec, row);
      return { more: false };
    }
    await tx
      .update(pushEvents)
      .set({ updatedAt: sql`now()` })
      .where(where);
    return { more: true };
  });
  // The batch's texts go once it has committed (the outbox's sweep catches any not handed over).
  if (outboxIds.length) await dispatchOutboxMany(outboxIds);
  if (wakeDrain) {
    const { scheduleWalletDrain } = await import("@/lib/wallet/queue");
    await scheduleWalletDrain().catch(() => undefined);
  }
  if (pushBatch) {
    const { row, written } = pushBatch as { row: PushEvent; written: WrittenBatch };
    return pushBatchWritten(db, row, size, written, options);
  }
  return step;
}

/**
 * Batches of a run being told at once while the next is written: two thousand pushes in flight, over
 * the APNs client's few connections. Three and four sent no faster and cost the machine more CPU
 * (bench/push).
 */
const TELLING_AT_ONCE = 2;

/**
 * Steps of one event, each batch's wallets told while the next batches are written (at most
 * TELLING_AT_ONCE at once); a push's batch after the first goes from the cursor its last one left
 * (pushBatchStep), a full step when that finds the event moved on. Before the run checks that every
 * wallet has been told (its settle), the telling it started has finished. `settled` waits for
 * whatever is still being told.
 */
function stepper(db: Db, id: string, options: RunOptions) {
  const telling = new Set<Promise<void>>();
  const settled = () => Promise.all(telling).then(() => undefined);
  let cursor: PushEvent | undefined;
  const step = async (): Promise<RunStep> => {
    const s = (cursor && (await pushBatchStep(db, cursor, options))) || (await runPushEventStep(db, id, options));
    cursor = s.cursor;
    if (s.telling) {
      const p: Promise<void> = s.telling.finally(() => telling.delete(p));
      telling.add(p);
      while (telling.size >= TELLING_AT_ONCE) await Promise.race(telling);
    }
    if (s.written) await settled();
    return s;
  };
  return { step, settled };
}

/** One job: steps until done or out of time; the rest, or a later look, is the next job. */
export async function runPushEventJob(db: Db, id: string): Promise<{ steps: number }> {
  let last: RunStep = { more: false };
  const run = stepper(db, id, { tell: {} });
  let steps: number;
  try {
    steps = await runBatches(
      async () => (last = await run.step()),
      () => enqueuePushEventRun(id, null),
    );
  } finally {
    await run.settled();
  }
  if (last.recheckSeconds) await enqueuePushEventRun(id, null, last.recheckSeconds);
  else if (last.endAt) await enqueuePushEventRun(id, last.endAt);
  return { steps };
}

/** Every step in this process with no time budget (tests; the worker goes through runPushEventJob). */
export async function runPushEvent(db: Db, id: string, options: RunOptions = {}): Promise<RunStep> {
  const run = stepper(db, id, options);
  try {
    for (;;) {
      const step = await run.step();
      if (!step.more) return step;
    }
  } finally {
    await run.settled();
  }
}

/**
 * The minute tick: events due to start, promotions due to end and runs that went quiet (their worker
 * died, or a hand-off was lost) get a run queued. A run already going loses nothing: the extra job
 * waits for the event's row and carries on from its checkpoint.
 */
export async function tickPushEvents(db: Db, now = new Date()): Promise<number> {
  const due = rowsOf<{ id: string }>(
    await db.execute(sql`
      select id from push_events
      where state <> 'finished' and (
        (state = 'scheduled' and deleted_at is null and coalesce(start_at, created_at) <= ${now.toISOString()}::timestamptz)
        or (state = 'running' and phase = 'live' and end_at <= ${now.toISOString()}::timestamptz)
        or (state = 'running' and phase <> 'live' and updated_at < ${new Date(now.getTime() - STALLED_AFTER_MS / 4).toISOString()}::timestamptz)
      )
      limit 500`),
  );
  for (const { id } of due) await enqueuePushEventRun(id, null);
  return due.length;
}
