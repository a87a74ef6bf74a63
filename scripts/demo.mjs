// npm run demo: the app on the embedded database with the demo merchant at http://localhost:3000.
// Installs, migrates, seeds and builds as needed; later runs reuse what is there.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ensureDependencies, ensureNode, run } from "./lib/ensure.mjs";

ensureNode();
ensureDependencies();

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: process.env.PORT ?? "3000" };
if (env.DATABASE_URL) console.log("DATABASE_URL is set: the demo uses that PostgreSQL database.");

console.log("\n▶ migrating and seeding the demo merchant");
run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/seed.ts"], { env });

if (buildIsStale()) {
  console.log("\n▶ building");
  run(process.execPath, ["node_modules/next/dist/bin/next", "build"], { env });
}

console.log(`\n▶ starting CardDesk at http://localhost:${env.PORT}`);
run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/server.ts"], { env });

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

function buildIsStale() {
  if (!existsSync(".next/BUILD_ID")) return true;
  const built = statSync(".next/BUILD_ID").mtimeMs;
  const sources = ["app", "components", "lib", "db", "i18n", "messages"].filter(existsSync).map(newest);
  const files = ["package-lock.json", "next.config.ts", "instrumentation.ts"].filter(existsSync).map((f) => statSync(f).mtimeMs);
  return Math.max(...sources, ...files) > built;
}
