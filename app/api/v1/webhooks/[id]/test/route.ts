// POST /api/v1/webhooks/{id}/test — send a `webhook.test` event to the endpoint; answers the queued delivery
import { pathId } from "@/lib/api/webhooks";
import { withApiKey } from "@/lib/api/with-api-key";
import { presentDelivery, sendTestEvent } from "@/lib/webhooks/deliveries";

export const POST = withApiKey<{ id: string }>("webhooks:write", async ({ db, merchantId }, _request, { id }) =>
  Response.json(presentDelivery(await sendTestEvent(db, merchantId, pathId(id))), { status: 202 }),
);
