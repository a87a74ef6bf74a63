// GET /api/v1/webhooks/{id} — one endpoint (never its secret)
// PATCH /api/v1/webhooks/{id} — change its URL, events, description or enabled flag
// DELETE /api/v1/webhooks/{id} — remove it with its delivery log
import { pathId } from "@/lib/api/webhooks";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { updateWebhookSchema } from "@/lib/validations/webhooks";
import { deleteEndpoint, getEndpointOrThrow, presentEndpoint, updateEndpoint } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const GET = withApiKey<Params>(["webhooks:read", "webhooks:write"], async ({ db, merchantId }, _request, { id }) =>
  Response.json(presentEndpoint(await getEndpointOrThrow(db, merchantId, pathId(id)))),
);

export const PATCH = withApiKey<Params>("webhooks:write", async ({ db, merchantId }, request, { id }) => {
  pathId(id);
  const input = updateWebhookSchema.parse((await readJson(request)).value);
  return Response.json(presentEndpoint(await updateEndpoint(db, { merchantId, userId: null }, id, input)));
});

export const DELETE = withApiKey<Params>("webhooks:write", async ({ db, merchantId }, _request, { id }) => {
  await deleteEndpoint(db, { merchantId, userId: null }, pathId(id));
  return new Response(null, { status: 204 });
});
