// What every bench does first and last: a fresh PostgreSQL database beside the one DATABASE_URL
// names (dropped afterwards unless --keep-db), a merchant with an owner, and a production build.
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { closeDb, type Db } from "@/db";
import { stopBoss } from "@/lib/jobs/boss";
import { createMerchantWithOwner } from "@/lib/merchants";
// @ts-expect-error -- plain ESM helper shared with the test setup and the Playwright server script
import { createFreshDatabase, dropDatabase } from "../../scripts/lib/fresh-db.mjs";
import { stopAll } from "../wallet-service/procs";

export type BenchDatabase = { baseUrl: string; dbUrl: string; dbName: string; drop: (keep: boolean) => Promise<void> };

/**
 * A fresh database for this run. With `env`, this process is pointed at it (DATABASE_URL, a random
 * APP_ENCRYPTION_KEY unless one is set, quiet logs, plus the extras given).
 */
export async function benchDatabase(purpose: string, env?: Record<string, string>): Promise<BenchDatabase> {
  const baseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const { url: dbUrl, name: dbName } = (await createFreshDatabase(baseUrl, purpose)) as { url: string; name: string };
  if (env)
    Object.assign(process.env, {
      DATABASE_URL: dbUrl,
      APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY || randomBytes(32).toString("base64"),
      LOG_LEVEL: "warn",
      ...env,
    });
  return {
    baseUrl,
    dbUrl,
    dbName,
    // The servers' connections must be gone before the drop; `with (force)` ends any that linger.
    drop: async (keep) => {
      if (keep) console.log(`database kept: ${dbUrl}`);
      else await dropDatabase(baseUrl, dbName).catch((err: unknown) => console.error(`could not drop ${dbName}: ${err}`));
    },
  };
}

/** A merchant and its owner for the bench, and the actor the lib calls take. */
export async function benchMerchant(db: Db, organisation: string) {
  const { merchant, owner } = await createMerchantWithOwner(db, {
    organisation,
    name: "Bench Owner",
    email: `owner-${Date.now()}-${randomBytes(3).toString("hex")}@bench.carddesk.local`,
    password: "bench-password-2026",
  });
  return { merchant, owner, actor: { merchantId: merchant.id, userId: owner.id } };
}

/** The production build the servers run: refused without one unless `build`, which runs `next build`. */
export function ensureBuild(root: string, build: boolean, log: (line: string) => void): void {
  if (existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  if (!build) throw new Error("no production build (.next/BUILD_ID): run `npx next build` first, or pass --build");
  log("building (next build)…");
  execFileSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { cwd: root, stdio: "inherit" });
}

/**
 * A bench that starts servers: its database, a scratch folder, and a cleanup that stops the servers,
 * closes this process's connections and drops both (also on Ctrl-C).
 */
export async function serverBench(purpose: string, keep: boolean) {
  const bench = await benchDatabase(purpose);
  const work = mkdtempSync(path.join(tmpdir(), `${purpose.replace(/_/g, "-")}-`));
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    stopAll();
    await stopBoss().catch(() => {});
    await closeDb().catch(() => {});
    await bench.drop(keep);
    rmSync(work, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void cleanup().then(() => process.exit(130)));
  return { ...bench, work, cleanup, cleanedUp: () => cleaned };
}

/** The servers' environment (no worker in the web process), with this process pointed at the same database and key. */
export function benchServerEnv(dbUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: dbUrl,
    APP_URL: "http://127.0.0.1",
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY || randomBytes(32).toString("base64"),
    WORKER_IN_WEB: "false",
    LOG_LEVEL: "warn",
    ...extra,
  };
  Object.assign(process.env, { DATABASE_URL: dbUrl, APP_ENCRYPTION_KEY: env.APP_ENCRYPTION_KEY, LOG_LEVEL: "warn", ...extra });
  return env;
}
