// GET /api/v1/webhooks/{id}/deliveries — the endpoint's delivery log, newest first, a page at a time
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/api/cursor";
import { listDeliveriesQuerySchema, pathId } from "@/lib/api/webhooks";
import { queryOf, withApiKey } from "@/lib/api/with-api-key";
import { listDeliveries, presentDelivery } from "@/lib/webhooks/deliveries";

export const GET = withApiKey<{ id: string }>(["webhooks:read", "webhooks:write"], async ({ db, merchantId }, request, { id }) => {
  const { cursor, limit, status, eventType } = listDeliveriesQuerySchema.parse(queryOf(request));
  const page = await listDeliveries(db, merchantId, pathId(id), { status, eventType, limit, after: cursor ? decodeTimeCursor(cursor) : undefined });
  return Response.json({ data: page.rows.map(presentDelivery), nextCursor: page.next ? encodeTimeCursor(page.next) : null });
});
