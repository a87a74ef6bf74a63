import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // The guard against client bundles throws outside React Server Components; tests are server code.
      { find: /^server-only$/, replacement: `${root}/tests/server-only-stub.ts` },
    ],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/global-setup.ts"],
    setupFiles: ["tests/setup.ts"],
    pool: "forks",
    // Every file has a database of its own (tests/setup.ts), so files run side by side; on 2 cores
    // Vitest's default (cores - 1) would run them one at a time while PostgreSQL's waits leave a core idle.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
