// A worker in a process of its own, against the test database, for tests that kill it (SIGKILL)
// mid-run: `tsx --conditions=react-server tests/support/worker-process.ts <queue> ...`.
// Prints "ready" once its handlers are registered.
import { startWorker } from "@/lib/jobs/worker";
import type { QueueName } from "@/lib/jobs/queues";

await startWorker({ only: process.argv.slice(2) as QueueName[] });
console.log("ready");
// A bench that profiles the worker (--cpu-prof) ends it so: Node writes the profile on exit, not on a kill.
process.on("SIGTERM", () => process.exit(0));
