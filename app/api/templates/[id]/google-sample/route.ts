// GET /api/templates/{id}/google-sample — redirects to "Save to Google Wallet" for a sample card of the template
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { buildGoogleSampleUrl } from "@/lib/passes/sample";
import { orBackToEditor } from "@/lib/passes/sample-redirect";
import { getTemplateOrThrow } from "@/lib/templates";

export const GET = withStaff<{ id: string }>("templates.view", async (ctx, request, { id }) => {
  const db = getDb();
  const { template, version } = await getTemplateOrThrow(db, ctx.merchantId, id);
  return orBackToEditor(request, id, async () => {
    const url = await buildGoogleSampleUrl(db, ctx.merchant, template, version.definition);
    return new Response(null, { status: 302, headers: { location: url, "cache-control": "no-store" } });
  });
});
