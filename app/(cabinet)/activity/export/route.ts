// GET /activity/export?user=&action=&from=&to= — the activity log, filtered, as CSV
import { getDb } from "@/db";
import { auditTable } from "@/lib/audit";
import { withStaff } from "@/lib/auth/route";
import { toCsv } from "@/lib/reports/tables";
import { auditFiltersSchema } from "@/lib/validations/audit";

export const GET = withStaff("audit.view", async (ctx, request) => {
  const filters = auditFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const csv = toCsv(await auditTable(getDb(), ctx.merchantId, filters));
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="activity${filters.from ? `-${filters.from}` : ""}${filters.to ? `-${filters.to}` : ""}.csv"`,
      "cache-control": "no-store",
    },
  });
});
