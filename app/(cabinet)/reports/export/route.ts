// GET /reports/export?report=…&from=&to=&templateId=&locationId=&source=&granularity= — one report as CSV
// (report=loyalty&part=levels: the loyalty report's level distribution)
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { AppError } from "@/lib/errors";
import { REPORTS } from "@/lib/reports/queries";
import { levelsTable, reportTable, toCsv } from "@/lib/reports/tables";
import { REPORT_NAMES, reportFiltersSchema, type ReportName } from "@/lib/validations/reports";

export const GET = withStaff("reports.view", async (ctx, request) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const name = query.report as ReportName;
  if (!REPORT_NAMES.includes(name)) throw new AppError("validation", "reports.errors.report");
  const levels = name === "loyalty" && query.part === "levels";
  const parsed = reportFiltersSchema.safeParse({ ...query, report: undefined, part: undefined });
  if (!parsed.success) throw new AppError("validation", parsed.error.issues[0]?.message ?? "validation.invalid");
  const data = await REPORTS[name](getDb(), ctx.merchantId, parsed.data);
  const csv = toCsv(levels ? levelsTable((data as Awaited<ReturnType<(typeof REPORTS)["loyalty"]>>).levels) : reportTable(name, data as never));
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${levels ? "levels" : name}-${parsed.data.from}-${parsed.data.to}.csv"`,
      "cache-control": "no-store",
    },
  });
});
