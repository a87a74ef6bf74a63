// GET /api/v1/templates — the merchant's card templates (active ones; `?archived=true` for archived)
import { presentTemplate } from "@/lib/api/cards";
import { listTemplatesQuerySchema } from "@/lib/api/schemas";
import { queryOf, withApiKey } from "@/lib/api/with-api-key";
import { listTemplates } from "@/lib/templates";

// A merchant keeps tens of templates, so one answer holds them all; the cap only bounds a runaway.
const MAX_TEMPLATES = 1000;

export const GET = withApiKey("templates:read", async ({ db, merchantId }, request) => {
  const { archived } = listTemplatesQuerySchema.parse(queryOf(request));
  const { rows } = await listTemplates(db, merchantId, { page: 1, pageSize: MAX_TEMPLATES, archived });
  return Response.json({ data: rows.map((r) => presentTemplate(r.template)) });
});
