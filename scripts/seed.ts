import { closeDb, getDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { seedDemo } from "@/lib/seed";

await runMigrations();
const result = await seedDemo(getDb(), { apiKey: process.env.SEED_API_KEY || undefined });
await closeDb();
console.log(`Demo merchant ready.\n  Sign in: ${process.env.APP_URL ?? "http://localhost:3000"}/sign-in\n  E-mail:   ${result.email}\n  Password: ${result.password}`);
if (process.env.SEED_API_KEY) console.log("  API key:  the value of SEED_API_KEY");
