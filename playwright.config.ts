import { randomBytes } from "node:crypto";
import { defineConfig, devices } from "@playwright/test";

// The token that unlocks the test-only outbox reader (app/api/dev/outbox): the server started below
// inherits it, and e2e/customers/helpers.ts sends it. A new one each run.
process.env.DEV_OUTBOX ??= randomBytes(24).toString("base64url");

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "e2e",
  // Drops the run's PostgreSQL database even when the server is killed before it can (scripts/e2e-server.mjs).
  globalTeardown: "./e2e/teardown.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    locale: "en-US",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          // Debian's Chromium: Playwright's own browser download cannot reach the network here.
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/api/health`,
    env: { PORT: String(port), DEV_OUTBOX: process.env.DEV_OUTBOX },
    timeout: 180_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
