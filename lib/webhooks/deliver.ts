import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";
import type { WebhookEndpoint } from "@/db/schema";
import { publicEventId } from "@/lib/card-events/public-id";
import { logger } from "@/lib/logger";
import { dispatchOutbox } from "@/lib/outbox";
import { signingSecrets } from "./endpoints";
import { alertOwners, DISABLE_AFTER_DAYS, FAILURE_ALERTS, type EndpointAlert } from "./failures";
import { postWebhook, type SendOutcome } from "./send";
import { scheduleWebhookRun } from "./queue";
import { signWebhook } from "./signing";

/** Standard Webhooks' schedule: the delay before attempt n+1 after n attempts (10 attempts over about 3 days). */
export const RETRY_SCHEDULE_SECONDS = [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600];
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length;
/** A claimed row is someone else's to send if its worker has not settled it by then: above the send timeout. */
export const LEASE_SECONDS = 30;
const BATCH = 100;
const LANES = 4;
const TIME_BUDGET_MS = 60_000;
/** Statuses whose Retry-After is honoured, instead of the schedule. */
const RETRY_AFTER_STATUSES = new Set([429, 502, 503, 504]);
const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

/** The delay before the next attempt, ±10% so a fleet of failed deliveries does not come back at once. */
export function retryDelaySeconds(attemptsDone: number, random = Math.random): number {
  const base = RETRY_SCHEDULE_SECONDS[Math.min(attemptsDone, MAX_ATTEMPTS - 1)];
  return Math.max(1, Math.round(base * (0.9 + 0.2 * random())));
}

/** Retry-After as seconds (a number or an HTTP date), within 1 s – 24 h; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Math.ceil((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds)) return null;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
}

type Claimed = { id: string; merchantId: string; endpointId: string; eventId: string; eventType: string; body: string; attempts: number };
export type DeliverStats = { sent: number; succeeded: number; failed: number; retried: number };
export type DeliverOptions = { timeoutMs?: number; budgetMs?: number };

async function claim(db: Db, limit: number): Promise<Claimed[]> {
  const rows = rowsOf<{ id: string; merchant_id: string; endpoint_id: string; event_id: string; event_type: string; body: string; attempts: number }>(
    await db.execute(sql`
      update webhook_deliveries d set next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS}), updated_at = now()
      from (select id from webhook_deliveries where status = 'pending' and next_attempt_at <= now()
            order by next_attempt_at limit ${limit} for update skip locked) c
      where d.id = c.id
      returning d.id, d.merchant_id, d.endpoint_id, d.event_id, d.event_type, d.body, d.attempts`),
  );
  return rows.map((r) => ({
    id: r.id,
    merchantId: r.merchant_id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    body: r.body,
    attempts: Number(r.attempts),
  }));
}

async function loadEndpoints(db: Db, ids: string[]): Promise<Map<string, WebhookEndpoint>> {
  const rows = rowsOf<Record<string, unknown>>(await db.execute(sql`select * from webhook_endpoints where id = any(${pgArray(ids)}::uuid[])`));
  const map = new Map<string, WebhookEndpoint>();
  for (const r of rows) {
    const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
    map.set(String(r.id), {
      id: String(r.id),
      merchantId: String(r.merchant_id),
      url: String(r.url),
      description: String(r.description),
      events: r.events as string[],
      enabled: Boolean(r.enabled),
      secretSealed: String(r.secret_sealed),
      previousSecretSealed: (r.previous_secret_sealed as string | null) ?? null,
      previousSecretExpiresAt: date(r.previous_secret_expires_at),
      consecutiveFailures: Number(r.consecutive_failures),
      failingSince: date(r.failing_since),
      disabledReason: (r.disabled_reason as string | null) ?? null,
      disabledAt: date(r.disabled_at),
      createdAt: date(r.created_at)!,
      updatedAt: date(r.updated_at)!,
    });
  }
  return map;
}

/** Signs and sends one claimed delivery; an endpoint turned off meanwhile fails it (replayable once back on). */
async function attempt(
  item: Claimed,
  endpoint: WebhookEndpoint | undefined,
  secrets: string[] | Error | undefined,
  options: DeliverOptions,
): Promise<SendOutcome | "disabled"> {
  if (!endpoint || !endpoint.enabled || !secrets) return "disabled";
  if (secrets instanceof Error)
    return { status: null, durationMs: 0, responseBody: "", retryAfter: null, error: `secret cannot be opened: ${secrets.message}` };
  const msgId = publicEventId(item.eventId);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = signWebhook(secrets, msgId, timestamp, item.body);
  const headers = { "webhook-id": msgId, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
  return postWebhook(endpoint.url, headers, item.body, options.timeoutMs);
}

const isSuccess = (o: SendOutcome | "disabled"): o is SendOutcome => o !== "disabled" && o.status !== null && o.status >= 200 && o.status < 300;

async function settleSuccesses(db: Db, done: { item: Claimed; outcome: SendOutcome }[]): Promise<void> {
  if (!done.length) return;
  const rows = JSON.stringify(done.map(({ item, outcome }) => ({ id: item.id, code: outcome.status, ms: outcome.durationMs, body: outcome.responseBody })));
  await db.execute(sql`
    update webhook_deliveries d set status = 'succeeded', attempts = d.attempts + 1, delivered_at = now(), last_attempt_at = now(),
      next_attempt_at = null, last_status_code = r.code, last_duration_ms = r.ms, last_error = null, last_response_body = r.body, updated_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as r(id uuid, code int, ms int, body text) where d.id = r.id`);
  const endpointIds = [...new Set(done.map((d) => d.item.endpointId))];
  await db.execute(sql`
    update webhook_endpoints set consecutive_failures = 0, failing_since = null
    where id = any(${pgArray(endpointIds)}::uuid[]) and (consecutive_failures <> 0 or failing_since is not null)`);
}

/**
 * One failed attempt: the delivery is retried on the schedule (or after Retry-After), or fails for
 * good after the last attempt or a 410; the endpoint counts the failure, its owners hear of it at 5,
 * 10 and 15 in a row, and it is turned off on 410 or after failures spanning five days.
 */
async function settleFailure(db: Db, item: Claimed, outcome: SendOutcome | "disabled", stats: DeliverStats): Promise<string[]> {
  const outbox: string[] = [];
  await db.transaction(async (tx) => {
    if (outcome === "disabled") {
      await tx.execute(sql`
        update webhook_deliveries set status = 'failed', next_attempt_at = null, last_error = 'endpoint disabled', updated_at = now()
        where id = ${item.id}::uuid`);
      stats.failed += 1;
      return;
    }
    const attempts = item.attempts + 1;
    const gone = outcome.status === 410;
    const retryAfter = outcome.status !== null && RETRY_AFTER_STATUSES.has(outcome.status) ? parseRetryAfter(outcome.retryAfter) : null;
    const final = gone || attempts >= MAX_ATTEMPTS;
    const delay = retryAfter ?? retryDelaySeconds(attempts);
    await tx.execute(sql`
      update webhook_deliveries set attempts = ${attempts}, last_attempt_at = now(), last_status_code = ${outcome.status},
        last_duration_ms = ${outcome.durationMs}, last_error = ${outcome.error ?? (outcome.status ? `HTTP ${outcome.status}` : null)},
        last_response_body = ${outcome.responseBody}, updated_at = now(),
        status = ${final ? "failed" : "pending"}::webhook_delivery_status,
        next_attempt_at = ${final ? null : sql`now() + make_interval(secs => ${delay})`}
      where id = ${item.id}::uuid`);
    if (final) stats.failed += 1;
    else stats.retried += 1;

    const [endpoint] = rowsOf<{ url: string; consecutive_failures: number; failing_long: boolean; enabled: boolean }>(
      await tx.execute(sql`
        update webhook_endpoints set consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, now())
        where id = ${item.endpointId}::uuid
        returning url, consecutive_failures, enabled, failing_since <= now() - make_interval(days => ${DISABLE_AFTER_DAYS}) as failing_long`),
    );
    if (!endpoint || !endpoint.enabled) return;
    const alerts: EndpointAlert[] = [];
    const failures = Number(endpoint.consecutive_failures);
    if ((FAILURE_ALERTS as readonly number[]).includes(failures)) alerts.push({ kind: "webhookFailing", failures });
    const disable = gone ? "gone" : endpoint.failing_long ? "failing" : null;
    if (disable) {
      await tx.execute(sql`
        update webhook_endpoints set enabled = false, disabled_reason = ${disable}, disabled_at = now(), updated_at = now() where id = ${item.endpointId}::uuid`);
      // What was still waiting fails now, to be replayed from the log once the endpoint is back on.
      await tx.execute(sql`
        update webhook_deliveries set status = 'failed', next_attempt_at = null, last_error = coalesce(last_error, 'endpoint disabled'), updated_at = now()
        where endpoint_id = ${item.endpointId}::uuid and status = 'pending'`);
      alerts.push({ kind: "webhookDisabled", reason: disable });
    }
    for (const alert of alerts) outbox.push(...(await alertOwners(tx, item.merchantId, { id: item.endpointId, url: endpoint.url }, alert)));
  });
  return outbox;
}

async function runBatch(db: Db, options: DeliverOptions, stats: DeliverStats): Promise<number> {
  const batch = await claim(db, BATCH);
  if (!batch.length) return 0;
  const endpoints = await loadEndpoints(db, [...new Set(batch.map((b) => b.endpointId))]);
  // Each endpoint's secrets are opened once a batch.
  const secrets = new Map<string, string[] | Error>();
  for (const endpoint of endpoints.values()) {
    try {
      secrets.set(endpoint.id, signingSecrets(endpoint));
    } catch (err) {
      secrets.set(endpoint.id, err instanceof Error ? err : new Error(String(err)));
    }
  }
  const outcomes = await Promise.all(batch.map((item) => attempt(item, endpoints.get(item.endpointId), secrets.get(item.endpointId), options)));
  stats.sent += batch.length;
  const successes: { item: Claimed; outcome: SendOutcome }[] = [];
  const outbox: string[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    if (isSuccess(outcome)) successes.push({ item: batch[i], outcome });
    else outbox.push(...(await settleFailure(db, batch[i], outcome, stats)));
  }
  await settleSuccesses(db, successes);
  stats.succeeded += successes.length;
  if (outbox.length) await dispatchOutbox(outbox);
  return batch.length;
}

/**
 * Sends what is due: a few lanes each claim a short batch (rows others hold are skipped; a claimed
 * row is leased, so a killed worker's batch falls due again by itself), send it, settle it, and go
 * again until nothing is due or the budget is spent. Then schedules itself for a row due within the minute.
 */
export async function deliverWebhooks(db: Db, options: DeliverOptions = {}): Promise<DeliverStats> {
  const stats: DeliverStats = { sent: 0, succeeded: 0, failed: 0, retried: 0 };
  const started = Date.now();
  const budget = options.budgetMs ?? TIME_BUDGET_MS;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (Date.now() - started < budget) {
        try {
          if (!(await runBatch(db, options, stats))) return;
        } catch (err) {
          logger.warn("webhook batch failed; its rows fall due again after the lease", { error: String(err) });
          return;
        }
      }
    }),
  );
  const [next] = rowsOf<{ seconds: number | string | null }>(
    await db.execute(sql`select extract(epoch from (min(next_attempt_at) - now())) as seconds from webhook_deliveries where status = 'pending'`),
  );
  // Only what falls due within the minute is woken for: the minute schedule runs the rest, so a retry
  // hours away does not leave a job behind on every run.
  if (next?.seconds !== null && next?.seconds !== undefined && Number(next.seconds) < 60)
    await scheduleWebhookRun(Math.max(1, Math.ceil(Number(next.seconds))));
  return stats;
}
