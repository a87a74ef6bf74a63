// GET /api/templates/{id}/sample-pass — a signed .pkpass of the template with sample values
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { buildSamplePass } from "@/lib/passes/sample";
import { orBackToEditor } from "@/lib/passes/sample-redirect";
import { getTemplateOrThrow } from "@/lib/templates";

export const GET = withStaff<{ id: string }>("templates.view", async (ctx, request, { id }) => {
  const db = getDb();
  const { template, version } = await getTemplateOrThrow(db, ctx.merchantId, id);
  return orBackToEditor(request, id, async () => {
    const pkpass = await buildSamplePass(db, ctx.merchant, template.kind, version.definition);
    const name = template.name.replace(/[^\p{L}\p{N} _-]/gu, "").trim() || "card";
    return new Response(new Uint8Array(pkpass), {
      headers: {
        "content-type": "application/vnd.apple.pkpass",
        "content-disposition": `attachment; filename="sample.pkpass"; filename*=UTF-8''${encodeURIComponent(name)}.pkpass`,
        "cache-control": "no-store",
      },
    });
  });
});
