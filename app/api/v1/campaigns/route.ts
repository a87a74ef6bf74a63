// GET /api/v1/campaigns — the merchant's push events (campaigns), newest first
// POST /api/v1/campaigns — create a push notification, dynamic promotion or SMS news; no startAt starts it now (send `Idempotency-Key` to make retries safe)
import { listCampaignsQuerySchema, presentCampaign } from "@/lib/api/campaigns";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import type { PushEvent } from "@/db/schema";
import { idempotent } from "@/lib/api/idempotency";
import { insertPushEvent, listPushEvents, loadPushEventsCounts } from "@/lib/push-events";
import { enqueuePushEventRun } from "@/lib/push-events/run";
import { pushEventInputSchema } from "@/lib/validations/push-events";

export const GET = withApiKey(["campaigns:read", "campaigns:write"], async ({ db, merchantId }, request) => {
  const query = listCampaignsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { rows, total } = await listPushEvents(db, merchantId, { page: query.page, pageSize: query.limit });
  const counts = await loadPushEventsCounts(db, merchantId, rows);
  return Response.json({ data: rows.map((r) => presentCampaign(r, counts.get(r.id)!)), total });
});

export const POST = withApiKey("campaigns:write", async ({ db, merchantId, actor }, request) => {
  const body = await readJson(request, { repeatedKeys: true });
  const input = pushEventInputSchema.parse(body.value);
  // With an Idempotency-Key a retried request answers the first campaign instead of sending a second.
  let created: PushEvent | null = null;
  const response = await idempotent(db, merchantId, request, body.text, async (tx) => {
    created = await insertPushEvent(tx, { merchantId, actor }, input);
    return { status: 201, body: { id: created.id, status: created.state } };
  });
  // Queued once committed (a replay created nothing; a racer that lost queues an id that runs to nothing).
  const row = created as PushEvent | null;
  if (row && !response.headers.has("idempotent-replayed")) await enqueuePushEventRun(row.id, row.startAt);
  return response;
});
