/** Every pg-boss queue the app uses, with its retry policy. Handlers are registered in ./handlers.ts. */
export const QUEUES = {
  outboxSend: "outbox-send",
  outboxFanOut: "outbox-fan-out",
  outboxSweep: "outbox-sweep",
  outboxStatus: "outbox-status",
  certificateExpiry: "certificate-expiry",
  googleClassSync: "google-class-sync",
  walletDrain: "wallet-drain",
  cardExpiry: "card-expiry",
  // One job per batch (the send or import keeps its own checkpoint); the pre-batch queues `card-import`
  // and `card-send` are no longer worked: the long-work sweep moves anything they held onto these.
  cardImport: "card-import-batch",
  idempotencyPurge: "api-idempotency-purge",
  cardSend: "card-send-batch",
  longWorkSweep: "long-work-sweep",
  pointsExpiry: "points-expiry",
  webhookDeliver: "webhook-deliver",
  reportsFold: "reports-fold",
  pushEventRun: "push-event-run",
  pushEventTick: "push-event-tick",
  pushTriggers: "push-triggers",
  tillCodeExpiry: "till-code-expiry",
  rotatingQrDaily: "rotating-qr-daily",
  referralRewards: "referral-rewards",
  tillPin: "till-pin",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

type Options = {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  heartbeatSeconds?: number;
  policy?: "short";
  /** A job that can run now wakes the workers at once (LISTEN/NOTIFY) instead of at their next poll: see NOTIFIED. */
  notify?: boolean;
};

/**
 * A batch of a bulk send or an import is a short job with a heartbeat: a worker killed mid-batch
 * stops beating, pg-boss fails the job within HEARTBEAT + the supervise interval (see boss.ts) and
 * another worker retries it from the committed checkpoint. `short` keeps one waiting job per send or
 * import (the singletonKey), so a retry, the next batch and the sweep never pile up.
 */
const BATCH_JOB: Options = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 120, heartbeatSeconds: 10, policy: "short" };

/**
 * Queues where a person waits for the job: a sign-in code's SMS, a pass updated after a purchase, a
 * webhook, a campaign started now, a batch whose progress is on screen. A job sent to one of them
 * wakes the worker at once through PostgreSQL's NOTIFY (pg-boss sends it only for a job that is due
 * now) rather than up to a second later at its next poll. Polling goes on as before, as a backstop
 * and for delayed jobs.
 */
const NOTIFIED = new Set<QueueName>([
  QUEUES.outboxSend,
  QUEUES.outboxFanOut,
  QUEUES.walletDrain,
  QUEUES.googleClassSync,
  QUEUES.cardImport,
  QUEUES.cardSend,
  QUEUES.webhookDeliver,
  QUEUES.pushEventRun,
  QUEUES.tillPin,
]);

const OPTIONS: Record<QueueName, Options> = {
  [QUEUES.outboxSend]: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  // A bulk batch's send jobs, made by the worker (lib/outbox dispatchOutboxMany); a lost one is the sweep's.
  [QUEUES.outboxFanOut]: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  [QUEUES.outboxSweep]: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 120 },
  // The next run, two minutes on, asks again; a failed run is not retried.
  [QUEUES.outboxStatus]: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 300 },
  [QUEUES.certificateExpiry]: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
  [QUEUES.googleClassSync]: { retryLimit: 6, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  // The drain keeps its own per-card retries in wallet_updates; a failed drain run is simply run again.
  [QUEUES.walletDrain]: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  [QUEUES.cardExpiry]: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
  [QUEUES.cardImport]: BATCH_JOB,
  [QUEUES.idempotencyPurge]: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
  [QUEUES.cardSend]: BATCH_JOB,
  [QUEUES.longWorkSweep]: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 120 },
  // Short jobs (each lot commits on its own): a retry or the next job carries on with what is still due.
  [QUEUES.pointsExpiry]: { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 120, policy: "short" },
  // Deliveries keep their own attempts and schedule (webhook_deliveries); a failed run is simply run again.
  [QUEUES.webhookDeliver]: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  // Each batch commits on its own with the inbox rows it folded: a failed run is simply run again.
  [QUEUES.reportsFold]: { retryLimit: 1, retryDelay: 5, retryBackoff: false, expireInSeconds: 120 },
  // A push event's run: steps commit with their checkpoint (lib/push-events/run); a killed worker's job is retried from it.
  [QUEUES.pushEventRun]: BATCH_JOB,
  [QUEUES.pushEventTick]: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 120 },
  // Sends are rows (push_trigger_sends) settled one by one; a failed run is simply run again.
  [QUEUES.pushTriggers]: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 300, policy: "short" },
  // Each batch is one statement: a failed run is simply run again, and finds fewer codes due.
  [QUEUES.tillCodeExpiry]: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 120, policy: "short" },
  // One job per batch; the job's data is its cursor (lib/till/qr-daily), so a retry redoes only its batch.
  [QUEUES.rotatingQrDaily]: BATCH_JOB,
  // Referral rewards: each payment has its own idempotency key, so a run cut short is simply run again.
  [QUEUES.referralRewards]: { retryLimit: 2, retryDelay: 30, retryBackoff: false, expireInSeconds: 300, policy: "short" },
  // A PIN for a till's phone authorization (lib/till/pin): sent once (the row keeps its code), so a retry after it is sent does nothing.
  [QUEUES.tillPin]: { retryLimit: 3, retryDelay: 2, retryBackoff: true, expireInSeconds: 60 },
};

export const QUEUE_OPTIONS = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, options]) => [name, { ...options, notify: NOTIFIED.has(name as QueueName) }]),
) as Record<QueueName, Options & { notify: boolean }>;

/** Cron schedules (pg-boss keeps them in the database, so several workers fire each once). */
export const SCHEDULES: { queue: QueueName; cron: string }[] = [
  { queue: QUEUES.outboxSweep, cron: "* * * * *" },
  { queue: QUEUES.outboxStatus, cron: "*/2 * * * *" },
  { queue: QUEUES.certificateExpiry, cron: "0 6 * * *" },
  { queue: QUEUES.walletDrain, cron: "* * * * *" },
  { queue: QUEUES.cardExpiry, cron: "*/10 * * * *" },
  { queue: QUEUES.idempotencyPurge, cron: "30 3 * * *" },
  { queue: QUEUES.longWorkSweep, cron: "* * * * *" },
  // The daily expiry of points, run hourly so that each merchant's midnight (year-end lots fall due
  // then, in the merchant's zone) is met within the hour; most runs find nothing due (a partial index).
  { queue: QUEUES.pointsExpiry, cron: "5 * * * *" },
  { queue: QUEUES.webhookDeliver, cron: "* * * * *" },
  // Woken after each change; the minute run catches a lost wake-up.
  { queue: QUEUES.reportsFold, cron: "* * * * *" },
  // Starts due push events, ends due promotions, resumes runs whose worker died.
  { queue: QUEUES.pushEventTick, cron: "* * * * *" },
  // Triggered messages: the birthday / inactivity / expiring-points scan and the due sends.
  { queue: QUEUES.pushTriggers, cron: "*/5 * * * *" },
  // Pending till codes past their five minutes become `expired` (lib/till/expiry).
  { queue: QUEUES.tillCodeExpiry, cron: "*/5 * * * *" },
  // Apple passes of rotating-QR templates get the new day's payload, their pushes spread over the early hours (lib/till/qr-daily).
  { queue: QUEUES.rotatingQrDaily, cron: "5 0 * * *" },
  // Woken by the referral follower; the schedule catches a lost wake-up.
  { queue: QUEUES.referralRewards, cron: "*/5 * * * *" },
];
