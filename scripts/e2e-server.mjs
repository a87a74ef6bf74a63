// Starts the built app for Playwright on a fresh database: a new PostgreSQL database when
// DATABASE_URL is set, otherwise a new PGlite folder. The worker runs in-process either way.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFreshDatabase, dropDatabase } from "./lib/fresh-db.mjs";

const port = process.env.PORT ?? "3100";
export const E2E_DB_FILE = path.join(tmpdir(), `carddesk-e2e-db-${port}.json`);
const env = {
  ...process.env,
  PORT: port,
  APP_URL: `http://localhost:${port}`,
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  // Production mode on PostgreSQL refuses to seal secrets without a key, as a real deployment must.
  APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY ?? randomBytes(32).toString("base64"),
  WORKER_IN_WEB: "true",
  // The e2e webhook receiver listens on loopback.
  WEBHOOK_ALLOW_LOOPBACK: process.env.WEBHOOK_ALLOW_LOOPBACK ?? "true",
  // Browser tests read what the console SMS provider "sent" (app/api/dev/outbox) with this token
  // (playwright.config.ts makes it); never set in production.
  DEV_OUTBOX: process.env.DEV_OUTBOX ?? randomBytes(24).toString("base64url"),
  // The wallet specs answer as APNs on this port (cleartext HTTP/2, see tests/support/apns-stand-in.ts).
  APNS_URL: `http://127.0.0.1:${process.env.E2E_APNS_PORT ?? "3102"}`,
  // Every spec signs up its own merchants from this one address; a person never meets the real limit.
  SIGNUP_PER_IP_PER_HOUR: process.env.SIGNUP_PER_IP_PER_HOUR ?? "100000",
  NEXT_TELEMETRY_DISABLED: "1",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
};

let fresh;
if (process.env.DATABASE_URL) {
  fresh = await createFreshDatabase(process.env.DATABASE_URL, "e2e");
  env.DATABASE_URL = fresh.url;
  console.log(`e2e database: ${fresh.name}`);
  // Playwright may end this process without a signal it can handle: its global teardown drops the
  // database named here (e2e/teardown.ts), so no run leaves one behind.
  writeFileSync(E2E_DB_FILE, JSON.stringify({ baseUrl: process.env.DATABASE_URL, name: fresh.name }));
} else {
  env.PGLITE_DIR = path.join(mkdtempSync(path.join(tmpdir(), "carddesk-e2e-")), "pglite");
  console.log(`e2e database: PGlite at ${env.PGLITE_DIR}`);
}

if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build found: run `npm run build` first (npm test does).");
  process.exit(1);
}

// The same production server as `npm start` (scripts/server.ts), so the tests cover its fast path too.
const server = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/server.ts"], { env, stdio: "inherit" });
const stop = async () => {
  server.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", async (code) => {
  if (fresh) await dropDatabase(process.env.DATABASE_URL, fresh.name).catch(() => {});
  process.exit(code ?? 0);
});
