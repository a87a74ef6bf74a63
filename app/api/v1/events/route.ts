// GET /api/v1/events — every event of the merchant as a feed, oldest first, in commit-safe order, to catch up without webhooks
import { listFeedEvents } from "@/db/queries/events-feed";
import { decodeFeedCursor, encodeFeedCursor, presentEvents } from "@/lib/api/events";
import { listEventsQuerySchema } from "@/lib/api/rest-schemas";
import { queryOf, withApiKey } from "@/lib/api/with-api-key";

export const GET = withApiKey("events:read", async ({ db, merchantId }, request) => {
  const { after, types, limit } = listEventsQuerySchema.parse(queryOf(request));
  const page = await listFeedEvents(db, merchantId, { after: after ? decodeFeedCursor(after) : undefined, types, limit });
  return Response.json({ data: await presentEvents(db, merchantId, page.rows), nextCursor: page.next ? encodeFeedCursor(page.next) : null });
});
