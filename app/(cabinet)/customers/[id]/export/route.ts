// GET /customers/:id/export?format=json|csv — everything held about a customer, as a download (audited)
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { customerDataCsv, exportCustomerData } from "@/lib/customers/data-rights";

export const GET = withStaff<{ id: string }>("customers.dataRights", async (ctx, request, { id }) => {
  const format = new URL(request.url).searchParams.get("format") === "csv" ? "csv" : "json";
  const data = await exportCustomerData(getDb(), ctx.merchantId, id, { type: "staff", userId: ctx.userId }, format);
  const body = format === "csv" ? `\uFEFF${customerDataCsv(data)}` : JSON.stringify(data, null, 2);
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="customer-${id}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
