/** Every pg-boss queue the app uses, with its retry policy. Handlers are registered in ./handlers.ts. */
export const QUEUES = {
  outboxSend: "outbox-send",
  outboxSweep: "outbox-sweep",
  outboxStatus: "outbox-status",
  certificateExpiry: "certificate-expiry",
  googleClassSync: "google-class-sync",
  walletDrain: "wallet-drain",
  cardExpiry: "card-expiry",
  cardImport: "card-import",
  idempotencyPurge: "api-idempotency-purge",
  cardSend: "card-send",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const QUEUE_OPTIONS: Record<QueueName, { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds: number }> = {
  [QUEUES.outboxSend]: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  [QUEUES.outboxSweep]: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 120 },
  // The next run, two minutes on, asks again; a failed run is not retried.
  [QUEUES.outboxStatus]: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 300 },
  [QUEUES.certificateExpiry]: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
  [QUEUES.googleClassSync]: { retryLimit: 6, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  // The drain keeps its own per-card retries in wallet_updates; a failed drain run is simply run again.
  [QUEUES.walletDrain]: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  [QUEUES.cardExpiry]: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
  [QUEUES.cardImport]: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 },
  [QUEUES.idempotencyPurge]: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
  [QUEUES.cardSend]: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 },
};

/** Cron schedules (pg-boss keeps them in the database, so several workers fire each once). */
export const SCHEDULES: { queue: QueueName; cron: string }[] = [
  { queue: QUEUES.outboxSweep, cron: "* * * * *" },
  { queue: QUEUES.outboxStatus, cron: "*/2 * * * *" },
  { queue: QUEUES.certificateExpiry, cron: "0 6 * * *" },
  { queue: QUEUES.walletDrain, cron: "* * * * *" },
  { queue: QUEUES.cardExpiry, cron: "*/10 * * * *" },
  { queue: QUEUES.idempotencyPurge, cron: "30 3 * * *" },
];
