import { closeDb, getDb } from "@/db";
import { rebuildReports } from "@/lib/reports/rebuild";

const started = Date.now();
const result = await rebuildReports(getDb());
await closeDb();
console.log(`Reports rebuilt: ${result.events} events folded, ${result.adopted} cards without events counted, in ${Date.now() - started} ms.`);
