// GET /api/v1/campaigns/{id} — one push event with its figures per platform
// DELETE /api/v1/campaigns/{id} — delete it: a running one stops (a promotion reverts first); its figures stay in the reports
import { presentCampaign } from "@/lib/api/campaigns";
import { pathId } from "@/lib/api/webhooks";
import { withApiKey } from "@/lib/api/with-api-key";
import { deletePushEvent, getPushEventOrThrow, loadPushEventCounts } from "@/lib/push-events";

type Params = { id: string };

export const GET = withApiKey<Params>(["campaigns:read", "campaigns:write"], async ({ db, merchantId }, _request, { id }) => {
  const row = await getPushEventOrThrow(db, merchantId, pathId(id));
  return Response.json(presentCampaign(row, await loadPushEventCounts(db, row)));
});

export const DELETE = withApiKey<Params>("campaigns:write", async ({ db, merchantId, actor }, _request, { id }) => {
  await deletePushEvent(db, { merchantId, actor }, pathId(id));
  return new Response(null, { status: 204 });
});
