import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.url().optional(),
    PGLITE_DIR: z.string().min(1).default(".data/pglite"),
    APP_URL: z.url().default("http://localhost:3000"),
    AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
    WORKER_IN_WEB: z.enum(["true", "false"]).optional(),
    EMAIL_FROM: z.string().default("CardDesk <no-reply@carddesk.local>"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    GOOGLE_WALLET_API_URL: z.url().default("https://walletobjects.googleapis.com"),
    GOOGLE_OAUTH_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
    GOOGLE_WALLET_ROOT_KEYS_URL: z.url().default("https://pay.google.com/gp/m/issuer/keys"),
    APNS_URL: z.url().default("https://api.push.apple.com"),
    // X-Forwarded-For entries appended by the operator's own proxies in front of `npm start` (see lib/auth/client-ip).
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // Sign-up attempts one address may make in an hour; far above a person's needs (the e2e suite raises it).
    SIGNUP_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(10),
    // Requests one API key may send a minute, across all web instances (counted in PostgreSQL, lib/api/rate-limit); bench/pos raises it to measure capacity.
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    // Development and tests only: lets webhook endpoints on 127.0.0.0/8 and ::1 (over http) through the SSRF check
    // (lib/webhooks/ssrf reads it at each check, so tests can switch it). Never private or link-local ranges.
    WEBHOOK_ALLOW_LOOPBACK: z.enum(["true", "false"]).optional(),
    // The platform's support contacts, shown on Settings → Support; requests from that page are e-mailed to SUPPORT_EMAIL.
    SUPPORT_EMAIL: z.email().default("support@carddesk.local"),
    SUPPORT_PHONE: z.string().max(40).optional(),
    SUPPORT_HOURS: z.string().max(120).optional(),
    PASS_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(64),
    // The platform's own SMS and e-mail (codes for the sign-in at /my, mail to staff); merchants set theirs in Settings.
    SMS_PROVIDER: z.enum(["console", "smsru", "smsc"]).default("console"),
    SMS_RU_API_ID: z.string().optional(),
    SMSC_LOGIN: z.string().optional(),
    SMSC_PASSWORD: z.string().optional(),
    SMSC_API_KEY: z.string().optional(),
    SMS_SENDER: z.string().max(15).optional(),
    EMAIL_PROVIDER: z.enum(["console", "resend"]).default("console"),
    RESEND_API_KEY: z.string().optional(),
    // Provider base URLs, for merchants' and the platform's adapters alike; changed only for a proxy or a test server.
    SMS_RU_URL: z.url().default("https://sms.ru"),
    SMSC_URL: z.url().default("https://smsc.ru"),
    RESEND_URL: z.url().default("https://api.resend.com"),
    // Test-only: the token that unlocks GET /api/dev/outbox (messages the console provider "sent", codes included).
    DEV_OUTBOX: z
      .string()
      .min(32, "DEV_OUTBOX must be a random token of at least 32 characters (it unlocks the test-only outbox reader; leave it unset in production)")
      .regex(/^[A-Za-z0-9_\-]+$/, "DEV_OUTBOX must be letters, digits, '-' or '_'")
      .optional(),
  })
  .superRefine((env, ctx) => {
    // A chosen provider without its credentials would fail every send; refuse to start instead.
    const missing = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (env.SMS_PROVIDER === "smsru" && !env.SMS_RU_API_ID) missing("SMS_RU_API_ID", "required when SMS_PROVIDER=smsru");
    if (env.SMS_PROVIDER === "smsc" && !env.SMSC_API_KEY && !(env.SMSC_LOGIN && env.SMSC_PASSWORD))
      missing("SMSC_API_KEY", "SMSC_API_KEY, or SMSC_LOGIN and SMSC_PASSWORD, required when SMS_PROVIDER=smsc");
    if (env.EMAIL_PROVIDER === "resend" && !env.RESEND_API_KEY) missing("RESEND_API_KEY", "required when EMAIL_PROVIDER=resend");
  });

/** The variables' rules, for tests of what is refused at start. */
export const envSchema = schema;

export type Env = z.infer<typeof schema> & { authSecret: string; workerInWeb: boolean };

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  // An empty line in .env (e.g. `DATABASE_URL=` copied from .env.example) means "not set".
  const present = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment variables:\n${lines}`);
  }
  const env = parsed.data;
  cached = {
    ...env,
    authSecret: env.AUTH_SECRET ?? localAuthSecret(env),
    // PGlite is one connection in one process, so on the embedded database the worker must live in the web process.
    workerInWeb: env.WORKER_IN_WEB ? env.WORKER_IN_WEB === "true" : !env.DATABASE_URL,
  };
  return cached;
}

/**
 * Without AUTH_SECRET a single-machine install still needs a stable secret, so one is generated once
 * and kept beside the embedded data. Several web instances must share one, hence the refusal on PostgreSQL in production.
 */
function localAuthSecret(env: z.infer<typeof schema>): string {
  if (env.DATABASE_URL && env.NODE_ENV === "production") {
    throw new Error("AUTH_SECRET is required in production with DATABASE_URL (generate one: openssl rand -base64 32)");
  }
  const dir = env.PGLITE_DIR.startsWith("memory://") ? ".data" : path.dirname(path.resolve(env.PGLITE_DIR));
  const file = path.join(dir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return readFileSync(file, "utf8").trim();
}
