// GET /api/v1/campaigns — the merchant's push events (campaigns), newest first
// POST /api/v1/campaigns — create a push notification, dynamic promotion or SMS news; no startAt starts it now
import { listCampaignsQuerySchema, presentCampaign } from "@/lib/api/campaigns";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { createPushEvent, listPushEvents, loadPushEventsCounts } from "@/lib/push-events";
import { pushEventInputSchema } from "@/lib/validations/push-events";

export const GET = withApiKey(["campaigns:read", "campaigns:write"], async ({ db, merchantId }, request) => {
  const query = listCampaignsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { rows, total } = await listPushEvents(db, merchantId, { page: query.page, pageSize: query.limit });
  const counts = await loadPushEventsCounts(db, merchantId, rows);
  return Response.json({ data: rows.map((r) => presentCampaign(r, counts.get(r.id)!)), total });
});

export const POST = withApiKey("campaigns:write", async ({ db, merchantId, actor }, request) => {
  const input = pushEventInputSchema.parse((await readJson(request, { repeatedKeys: true })).value);
  const row = await createPushEvent(db, { merchantId, actor }, input);
  return Response.json({ id: row.id, status: row.state }, { status: 201 });
});
