import "server-only";
import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cardTemplates, files, locations, pushEvents, pushSettings, type PushEvent } from "@/db/schema";
import { withEvents, type CardActor } from "@/lib/card-events";
import { AppError, NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";
import type { PushEventInput } from "@/lib/validations/push-events";
import { applyPromotion } from "./overlay";
import { smsFigures, type SmsFigures } from "./sms";
import { enqueuePushEventRun, finish, runLockKey } from "./run";

export { countAudience } from "./audience";

export type PushCtx = { merchantId: string; actor: CardActor };
export const PUSH_EVENTS_PAGE_SIZE = 25;

const userOf = (actor: CardActor) => (actor.type === "staff" ? actor.userId : null);

/** The templates and the point of sale an audience names must be the merchant's own. */
async function checkAudienceOwned(db: Db, merchantId: string, input: PushEventInput): Promise<void> {
  const ids = [...new Set(input.audience.templateIds)];
  const [{ n }] = await db
    .select({ n: count() })
    .from(cardTemplates)
    .where(and(eq(cardTemplates.merchantId, merchantId), sql`${cardTemplates.id} = any(${`{${ids.join(",")}}`}::uuid[])`));
  if (Number(n) !== ids.length) throw new AppError("validation", "pushEvents.errors.templates", { "audience.templateIds": "pushEvents.errors.templates" });
  if (input.audience.locationId) {
    const [loc] = await db
      .select({ id: locations.id })
      .from(locations)
      .where(and(eq(locations.id, input.audience.locationId), eq(locations.merchantId, merchantId)));
    if (!loc) throw new AppError("validation", "pushEvents.errors.location", { "audience.locationId": "pushEvents.errors.location" });
  }
  // A promotion's strip image must be one of the merchant's own uploads.
  const stripFileId = input.type === "promotion" ? input.design.stripFileId : undefined;
  if (stripFileId) {
    const [file] = await db
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.id, stripFileId), eq(files.merchantId, merchantId)));
    if (!file) throw new AppError("validation", "pushEvents.errors.stripFile", { "design.stripFileId": "pushEvents.errors.stripFile" });
  }
}

const valuesOf = (input: PushEventInput) => ({
  type: input.type,
  name: input.name,
  message: input.message,
  audience: input.audience,
  design: input.type === "promotion" ? input.design : {},
  startAt: input.startAt ?? null,
  endAt: input.type === "promotion" ? (input.endAt ?? null) : null,
});

/**
 * A new scheduled event, not yet handed to the worker: for a caller's transaction (the API's
 * idempotent create), which queues its run with `enqueuePushEventRun` once it has committed.
 */
export async function insertPushEvent(db: Db, ctx: PushCtx, input: PushEventInput): Promise<PushEvent> {
  await checkAudienceOwned(db, ctx.merchantId, input);
  const [row] = await db
    .insert(pushEvents)
    .values({ merchantId: ctx.merchantId, createdBy: userOf(ctx.actor), ...valuesOf(input) })
    .returning();
  return row;
}

/** A new scheduled event; with no start time it starts at once. */
export async function createPushEvent(db: Db, ctx: PushCtx, input: PushEventInput): Promise<PushEvent> {
  const row = await insertPushEvent(db, ctx, input);
  await enqueuePushEventRun(row.id, row.startAt);
  return row;
}

export async function getPushEventOrThrow(db: Db, merchantId: string, id: string): Promise<PushEvent> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(pushEvents)
        .where(and(eq(pushEvents.id, id), eq(pushEvents.merchantId, merchantId), isNull(pushEvents.deletedAt)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

export async function listPushEvents(db: Db, merchantId: string, page: { page: number; pageSize: number }) {
  const where = and(eq(pushEvents.merchantId, merchantId), isNull(pushEvents.deletedAt));
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(pushEvents)
      .where(where)
      .orderBy(desc(pushEvents.createdAt), desc(pushEvents.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db.select({ total: count() }).from(pushEvents).where(where),
  ]);
  return { rows, total: Number(total) };
}

/** Only a scheduled event may be edited; a running or finished one is kept as it ran. */
export async function updatePushEvent(db: Db, ctx: PushCtx, id: string, input: PushEventInput): Promise<PushEvent> {
  await getPushEventOrThrow(db, ctx.merchantId, id);
  await checkAudienceOwned(db, ctx.merchantId, input);
  const [row] = await db
    .update(pushEvents)
    .set({ ...valuesOf(input), updatedAt: sql`now()` })
    .where(and(eq(pushEvents.id, id), eq(pushEvents.merchantId, ctx.merchantId), eq(pushEvents.state, "scheduled"), isNull(pushEvents.deletedAt)))
    .returning();
  if (!row) throw new AppError("conflict", "pushEvents.errors.notEditable");
  await enqueuePushEventRun(row.id, row.startAt);
  return row;
}

/** A new scheduled event with the same type, audience and content (start time cleared unless still ahead). */
export async function copyPushEvent(db: Db, ctx: PushCtx, id: string): Promise<PushEvent> {
  const source = await getPushEventOrThrow(db, ctx.merchantId, id);
  const future = (d: Date | null) => (d && d.getTime() > Date.now() ? d : null);
  const startAt = future(source.startAt) ?? new Date(Date.now() + 86_400_000);
  // A promotion always ends: a copy of one whose end has passed runs as long as the original did (a week if that is unknown).
  const ran = source.startAt && source.endAt ? source.endAt.getTime() - source.startAt.getTime() : 7 * 86_400_000;
  const endAt = future(source.endAt) ?? (source.type === "promotion" ? new Date(startAt.getTime() + Math.max(ran, 3_600_000)) : null);
  const [row] = await db
    .insert(pushEvents)
    .values({
      merchantId: ctx.merchantId,
      createdBy: userOf(ctx.actor),
      type: source.type,
      name: source.name,
      message: source.message,
      design: source.design,
      audience: source.audience,
      // A copy waits to be started: its start time must be set (or it is started from its page).
      startAt,
      endAt,
    })
    .returning();
  return row;
}

/**
 * Deleting takes an event off the list (its figures stay for the reports). A running push or SMS news
 * stops at once (its batches already handed over are still told) with `campaign.finished`; a running
 * promotion first takes its overlay off the cards, in batches. Under the run's lock, so it never lands
 * between a step's reading the event and its writing it (a scheduled event starting, a promotion's
 * last batch going live).
 */
export async function deletePushEvent(db: Db, ctx: PushCtx, id: string): Promise<void> {
  if (!isUuid(id)) throw new NotFoundError();
  const reverting = await withEvents(db, async (tx, rec) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${runLockKey(id)}, 0))`);
    const where = and(eq(pushEvents.id, id), eq(pushEvents.merchantId, ctx.merchantId));
    const [row] = await tx
      .select()
      .from(pushEvents)
      .where(and(where, isNull(pushEvents.deletedAt)))
      .for("update");
    if (!row) throw new NotFoundError();
    const running = row.state === "running";
    const promotion = row.type === "promotion" && running;
    const [deleted] = await tx
      .update(pushEvents)
      .set({ deletedAt: sql`now()`, ...(promotion ? { phase: "revert", afterCardId: null } : {}), updatedAt: sql`now()` })
      .where(where)
      .returning();
    if (running && !promotion) await finish(tx, rec, deleted);
    return promotion;
  });
  if (reverting) await enqueuePushEventRun(id, null);
}

export type PushEventCounts = ReturnType<typeof pushEventCounts>;

/** An event's figures as its page and the API show them (SMS news's read from its messages). */
export async function loadPushEventCounts(db: Db, row: PushEvent): Promise<PushEventCounts> {
  return (await loadPushEventsCounts(db, row.merchantId, [row])).get(row.id)!;
}

/**
 * The figures of a page of one merchant's events, by id, in one query for all their SMS: the list, the
 * event's page and the API read the same numbers. SMS figures come from the event's messages (their
 * delivery status and real cost, which the outbox learns after the run), never from the event's row.
 */
export async function loadPushEventsCounts(db: Db, merchantId: string, rows: readonly PushEvent[]): Promise<Map<string, PushEventCounts>> {
  const smsIds = rows.filter((r) => r.type === "sms" && r.merchantId === merchantId).map((r) => r.id);
  const sms = await smsFigures(db, merchantId, smsIds);
  return new Map(rows.map((r) => [r.id, pushEventCounts(r, sms.get(r.id))]));
}

/**
 * The figures the API and the event's page show, per platform. "In doubt" is what a crash caught
 * between sending and recording: a Google message found already there when sent again, an SMS whose
 * hand-over to the provider was cut off (lib/outbox). Neither is sent twice; whether it reached the
 * phone is unknown, so it is neither delivered nor failed. The wallet figures are the event's row's
 * counters; the SMS figures are passed in from its messages (loadPushEventsCounts), none by default.
 */
export function pushEventCounts(row: PushEvent, sms: SmsFigures = { delivered: 0, failed: 0, inDoubt: 0, cost: 0 }) {
  return {
    apple: { pushed: row.applePushed, accepted: row.appleAccepted, failed: row.appleFailed, gone: row.appleGone },
    google: { notified: row.googleNotified, quiet: row.googleQuiet, failed: row.googleFailed, inDoubt: row.googleInDoubt },
    sms: { delivered: sms.delivered, failed: sms.failed, inDoubt: sms.inDoubt, cost: sms.cost },
  };
}

/** The merchant's quiet hours (null: none). */
export async function getQuietHours(db: Db, merchantId: string): Promise<{ quietFrom: number | null; quietTo: number | null }> {
  const [row] = await db.select().from(pushSettings).where(eq(pushSettings.merchantId, merchantId));
  return { quietFrom: row?.quietFrom ?? null, quietTo: row?.quietTo ?? null };
}

export async function saveQuietHours(db: Db, merchantId: string, hours: { quietFrom?: number; quietTo?: number }): Promise<void> {
  const values = { quietFrom: hours.quietFrom ?? null, quietTo: hours.quietTo ?? null };
  await db
    .insert(pushSettings)
    .values({ merchantId, ...values })
    .onConflictDoUpdate({ target: pushSettings.merchantId, set: { ...values, updatedAt: sql`now()` } });
}

/** A card's template definition as its wallets show it now: with its running promotion laid over, if any. */
export async function definitionAsShown<D extends import("@/lib/templates/definition").TemplateDefinition>(
  db: Db,
  merchantId: string,
  card: { promotionId: string | null },
  definition: D,
): Promise<D> {
  if (!card.promotionId) return definition;
  const [promotion] = await db
    .select({ design: pushEvents.design })
    .from(pushEvents)
    .where(and(eq(pushEvents.id, card.promotionId), eq(pushEvents.merchantId, merchantId), eq(pushEvents.type, "promotion")));
  return promotion ? (applyPromotion(definition, promotion.design) as D) : definition;
}
