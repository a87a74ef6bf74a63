// npm run demo: the app on the embedded database with the demo merchant at http://localhost:3000.
// Installs, migrates, seeds and builds as needed; later runs reuse what is there.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ensureDependencies, ensureNode, run } from "./lib/ensure.mjs";

ensureNode();
ensureDependencies();

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: process.env.PORT ?? "3000" };
if (env.DATABASE_URL) console.log("DATABASE_URL is set: the demo uses that PostgreSQL database.");

console.log("\n▶ migrating and seeding the demo merchant");
// The seed prints the demo sign-in; it is kept to print again once the server answers.
const seeded = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/seed.ts"], {
  env,
  encoding: "utf8",
  stdio: ["inherit", "pipe", "inherit"],
});
process.stdout.write(seeded.stdout ?? "");
if (seeded.status !== 0) {
  console.error("\n✖ seeding the demo merchant failed");
  process.exit(seeded.status ?? 1);
}
const signInLines = (seeded.stdout ?? "")
  .split("\n")
  .filter((l) => /E-mail:|Password:/.test(l))
  .join("\n");

if (buildIsStale()) {
  console.log("\n▶ building");
  run(process.execPath, ["node_modules/next/dist/bin/next", "build"], { env });
}

const url = `http://localhost:${env.PORT}`;
console.log(`\n▶ starting CardDesk at ${url}`);
const server = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/server.ts"], { env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
// The sign-in again once the server answers, below its start-up lines where it is easy to find.
for (let i = 0; i < 120; i++) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const ok = await fetch(`${url}/api/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) {
    console.log(
      `\n✔ CardDesk is ready at ${url}/sign-in\n${signInLines}\n  Customers sign in at ${url}/my (the console SMS provider prints their codes in this log)\n`,
    );
    break;
  }
}

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
