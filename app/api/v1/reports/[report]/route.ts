// GET /api/v1/reports/{report}?from=&to=&templateId=&locationId=&source=&granularity= — one report's figures
import { queryOf, withApiKey } from "@/lib/api/with-api-key";
import { NotFoundError } from "@/lib/errors";
import { REPORTS } from "@/lib/reports/queries";
import { REPORT_NAMES, reportFiltersSchema, type ReportName } from "@/lib/validations/reports";

export const GET = withApiKey<{ report: string }>("reports:read", async ({ db, merchantId }, request, { report }) => {
  if (!(REPORT_NAMES as readonly string[]).includes(report)) throw new NotFoundError();
  const filters = reportFiltersSchema.parse(queryOf(request));
  return Response.json({ data: await REPORTS[report as ReportName](db, merchantId, filters) });
});
