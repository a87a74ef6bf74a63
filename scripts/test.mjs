// npm test: unit and integration tests (Vitest), then a production build and the browser tests (Playwright).
// Prepares a fresh machine first: Node >= 22.12, packages, Chromium.
import { ensureChromium, ensureDependencies, ensureNode, run } from "./lib/ensure.mjs";

ensureNode();
ensureDependencies();
ensureChromium();

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const node = process.execPath;
console.log("\n▶ lint");
run(node, ["node_modules/eslint/bin/eslint.js", "."], { env });
run(node, ["node_modules/prettier/bin/prettier.cjs", "--check", "."], { env });
console.log(`\n▶ unit and integration tests (${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"})`);
run(node, ["node_modules/vitest/vitest.mjs", "run"], { env });
console.log("\n▶ production build");
run(node, ["node_modules/next/dist/bin/next", "build"], { env });
console.log("\n▶ browser tests");
run(node, ["node_modules/@playwright/test/cli.js", "test"], { env });
console.log("\n✔ all tests passed");
