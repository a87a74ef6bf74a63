// GET /finance/export?type=&status=&from=&to= — the merchant's money operations, filtered, as CSV
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { financeTable } from "@/lib/finance";
import { toCsv } from "@/lib/reports/tables";
import { financeFiltersSchema } from "@/lib/validations/finance";

export const GET = withStaff("finance.view", async (ctx, request) => {
  const filters = financeFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const csv = toCsv(await financeTable(getDb(), ctx.merchantId, filters));
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="finance${filters.from ? `-${filters.from}` : ""}${filters.to ? `-${filters.to}` : ""}.csv"`,
      "cache-control": "no-store",
    },
  });
});
