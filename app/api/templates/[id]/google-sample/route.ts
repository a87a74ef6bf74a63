// GET /api/templates/{id}/google-sample — redirects to "Save to Google Wallet" for a sample card of the template
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { buildGoogleSampleUrl } from "@/lib/passes/sample";
import { AppError } from "@/lib/errors";
import { getTemplateOrThrow } from "@/lib/templates";

export const GET = withStaff<{ id: string }>("templates.view", async (ctx, request, { id }) => {
  const db = getDb();
  const { template, version } = await getTemplateOrThrow(db, ctx.merchantId, id);
  let url: string;
  try {
    url = await buildGoogleSampleUrl(db, ctx.merchant, template, version.definition);
  } catch (err) {
    if (err instanceof AppError) return Response.redirect(new URL(`/templates/${id}?sampleError=${encodeURIComponent(err.message)}`, request.url), 303);
    throw err;
  }
  return new Response(null, { status: 302, headers: { location: url, "cache-control": "no-store" } });
});
