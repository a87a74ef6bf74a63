// POST /api/v1/webhooks/{id}/rotate-secret — a new signing secret, shown this once; the old one is still signed with for 24 hours
import { pathId } from "@/lib/api/webhooks";
import { withApiKey } from "@/lib/api/with-api-key";
import { presentEndpoint, rotateEndpointSecret } from "@/lib/webhooks/endpoints";

export const POST = withApiKey<{ id: string }>("webhooks:write", async ({ db, merchantId }, _request, { id }) => {
  const { endpoint, secret } = await rotateEndpointSecret(db, { merchantId, userId: null }, pathId(id));
  return Response.json({ ...presentEndpoint(endpoint), secret });
});
