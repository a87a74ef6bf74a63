// npm run finance:entry -- --merchant <slug> --kind topup|charge --amount <minor units> [--currency RUB] [--note "..."] [--document "..."] [--by "operator"]
// The platform operator's way to record a top-up or a charge for a merchant; there is no cabinet page for it.
import { parseArgs } from "node:util";
import { closeDb, getDb } from "@/db";
import { addFinanceEntry } from "@/lib/finance";
import { financeEntrySchema } from "@/lib/validations/finance";

const { values } = parseArgs({
  options: {
    merchant: { type: "string" },
    kind: { type: "string" },
    amount: { type: "string" },
    currency: { type: "string" },
    note: { type: "string" },
    document: { type: "string" },
    by: { type: "string" },
  },
});
const parsed = financeEntrySchema.safeParse({ ...values, by: values.by ?? process.env.USER ?? "operator" });
if (!parsed.success) {
  console.error(
    "Usage: npm run finance:entry -- --merchant <slug> --kind topup|charge --amount <minor units> [--currency XXX] [--note ...] [--document ...] [--by ...]",
  );
  console.error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  process.exit(2);
}
try {
  const entry = await addFinanceEntry(getDb(), parsed.data);
  console.log(`Recorded ${entry.kind} of ${entry.amountMinor} ${entry.currency} (minor units) for ${parsed.data.merchant}: ${entry.id}`);
} catch (e) {
  console.error(e instanceof Error && e.message === "errors.notFound" ? `No merchant with the slug ${parsed.data.merchant}.` : e);
  process.exitCode = 1;
} finally {
  await closeDb();
}
