// GET /api/v1/webhooks — the merchant's webhook endpoints (never their secrets)
// POST /api/v1/webhooks — add an endpoint; the answer carries its signing secret, shown this once
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { createWebhookSchema } from "@/lib/validations/webhooks";
import { createEndpoint, listEndpoints, presentEndpoint } from "@/lib/webhooks/endpoints";

export const GET = withApiKey(["webhooks:read", "webhooks:write"], async ({ db, merchantId }) =>
  Response.json({ data: (await listEndpoints(db, merchantId)).map(presentEndpoint) }),
);

export const POST = withApiKey("webhooks:write", async ({ db, merchantId }, request) => {
  const input = createWebhookSchema.parse((await readJson(request)).value);
  const { endpoint, secret } = await createEndpoint(db, { merchantId, userId: null }, input);
  return Response.json({ ...presentEndpoint(endpoint), secret }, { status: 201 });
});
