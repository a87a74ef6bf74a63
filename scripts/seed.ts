import { closeDb, getDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { stopBoss } from "@/lib/jobs/boss";
import { dispatchOutbox } from "@/lib/outbox";
import { seedDemo } from "@/lib/seed";

await runMigrations();
const result = await seedDemo(getDb(), { apiKey: process.env.SEED_API_KEY || undefined });
// Queued for whichever worker runs next (the web process on the embedded database).
await dispatchOutbox(result.outboxIds);
await stopBoss();
await closeDb();
console.log(
  `Demo merchant ready.\n  Sign in: ${process.env.APP_URL ?? "http://localhost:3000"}/sign-in\n  E-mail:   ${result.email}\n  Password: ${result.password}`,
);
if (process.env.SEED_API_KEY) console.log("  API key:  the value of SEED_API_KEY");
