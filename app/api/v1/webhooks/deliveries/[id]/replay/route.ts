// POST /api/v1/webhooks/deliveries/{id}/replay — send a delivery again: the same body and `webhook-id`, a fresh round of attempts
import { pathId } from "@/lib/api/webhooks";
import { withApiKey } from "@/lib/api/with-api-key";
import { presentDelivery, replayDelivery } from "@/lib/webhooks/deliveries";

export const POST = withApiKey<{ id: string }>("webhooks:write", async ({ db, merchantId }, _request, { id }) =>
  Response.json(presentDelivery(await replayDelivery(db, merchantId, pathId(id))), { status: 202 }),
);
