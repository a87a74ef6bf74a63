// Makes a fresh machine ready with nothing but Node and npm: the right Node, the packages, Chromium.
// Uses only Node's own modules, so it runs before `npm ci`.
import { execSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

const MIN = [22, 12];

function nodeIsRecent(version = process.versions.node) {
  const [major, minor] = version.split(".").map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

/** On an older Node, installs Node 24 from the npm package `node@24` and re-runs this script with it. */
export function ensureNode() {
  if (nodeIsRecent()) return;
  const candidates = [process.env.CARDDESK_NODE_PREFIX, "/opt/node24", path.join(homedir(), ".cache", "carddesk", "node24")].filter(Boolean);
  let bin = candidates.map((p) => path.join(p, "node_modules", ".bin", "node")).find((b) => existsSync(b));
  if (!bin) {
    const prefix = process.getuid?.() === 0 ? candidates[0] : candidates.at(-1);
    console.log(`Node ${process.versions.node} is older than ${MIN.join(".")}: installing Node 24 into ${prefix} ...`);
    execSync(`npm install --prefix "${prefix}" node@24`, { stdio: "inherit" });
    bin = path.join(prefix, "node_modules", ".bin", "node");
  }
  console.log(`Node ${process.versions.node} is older than ${MIN.join(".")}: re-running with ${bin}`);
  const env = { ...process.env, PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH}` };
  const result = spawnSync(bin, process.argv.slice(1), { stdio: "inherit", env });
  process.exit(result.status ?? 1);
}

/** Runs `npm ci` when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const marker = "node_modules/.package-lock.json";
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync("package-lock.json").mtimeMs) return;
  console.log("Installing packages ...");
  // Quiet unless everything fails: a registry mirror without other platforms' optional packages makes
  // `npm ci` call the lock out of sync (a screen of errors a new user would take for failure), and
  // `npm install --no-save` then installs from the same lock unchanged.
  const quiet = { stdio: "pipe", encoding: "utf8", maxBuffer: 64 * 1024 * 1024 };
  const ci = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], quiet);
  if (ci.status === 0) return console.log("Packages installed.");
  const install = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund"], quiet);
  if (install.status === 0) return console.log("Packages installed.");
  process.stderr.write(`${ci.stdout ?? ""}${ci.stderr ?? ""}\n${install.stdout ?? ""}${install.stderr ?? ""}\n`);
  console.error("✖ Installing packages failed (npm ci, then npm install): see the output above.");
  process.exit(1);
}

/** Playwright drives the system Chromium (its own browser download cannot run here). */
export function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(chromium)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Chromium not found at ${chromium}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.log("Installing Chromium from Debian's packages ...");
  execSync("apt-get update && apt-get install -y chromium", { stdio: "inherit" });
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`\n✖ ${[command, ...args].join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
}
