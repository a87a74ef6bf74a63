// npm test: unit and integration tests (Vitest), then a production build and the browser tests (Playwright).
import { spawnSync } from "node:child_process";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const steps = [
  ["vitest", ["run"]],
  ["next", ["build"]],
  ["playwright", ["test"]],
];
for (const [bin, args] of steps) {
  console.log(`\n▶ ${bin} ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [binPath(bin), ...args], { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`\n✖ ${bin} ${args.join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
}
console.log("\n✔ all tests passed");

function binPath(bin) {
  return { vitest: "node_modules/vitest/vitest.mjs", next: "node_modules/next/dist/bin/next", playwright: "node_modules/@playwright/test/cli.js" }[bin];
}
