// GET /my/data?format=json|csv — a signed-in customer's own data at every merchant that holds it (audited per merchant)
import { getDb } from "@/db";
import { getCustomerSession } from "@/lib/customer-auth/session";
import { customerDataCsv, customersOfPhone, exportCustomerData } from "@/lib/customers/data-rights";

export async function GET(request: Request): Promise<Response> {
  const db = getDb();
  const session = await getCustomerSession(db, { for: null });
  if (!session) return Response.json({ error: { code: "unauthorized", message: "Sign in first." } }, { status: 401 });
  const format = new URL(request.url).searchParams.get("format") === "csv" ? "csv" : "json";
  const held = await customersOfPhone(db, session.phone, session.merchantId);
  const all = [];
  for (const c of held) all.push({ merchantId: c.merchantId, ...(await exportCustomerData(db, c.merchantId, c.id, { type: "customer" }, format)) });
  const body =
    format === "csv"
      ? `\uFEFF${all.map((d) => customerDataCsv(d, d.merchantId)).join("\r\n")}`
      : JSON.stringify({ phone: session.phone, merchants: all }, null, 2);
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="my-data.${format}"`,
      "cache-control": "no-store",
    },
  });
}
