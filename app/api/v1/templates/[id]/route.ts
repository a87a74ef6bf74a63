// GET /api/v1/templates/{id} — one template with its current version's design
import { presentTemplate } from "@/lib/api/cards";
import { withApiKey } from "@/lib/api/with-api-key";
import { getTemplateOrThrow } from "@/lib/templates";

type Params = { id: string };

export const GET = withApiKey<Params>("templates:read", async ({ db, merchantId }, _request, { id }) => {
  const { template, version } = await getTemplateOrThrow(db, merchantId, id);
  return Response.json({ ...presentTemplate(template), definition: version.definition });
});
