// GET /api/v1/events — every event of the merchant as a feed, oldest first, in commit-safe order, to catch up without webhooks
import { listFeedEvents } from "@/db/queries/events-feed";
import { decodeFeedCursor, encodeFeedCursor, presentEvents } from "@/lib/api/events";
import { FEED_EVENT_TYPES, listEventsQuerySchema } from "@/lib/api/rest-schemas";
import { queryOf, withApiKey } from "@/lib/api/with-api-key";

export const GET = withApiKey("events:read", async ({ db, merchantId }, request) => {
  const { after, types, limit } = listEventsQuerySchema.parse(queryOf(request));
  // Without `types`, every type the feed shows (the wallet's own push bookkeeping is not among them).
  const page = await listFeedEvents(db, merchantId, {
    after: after ? decodeFeedCursor(after) : undefined,
    types: types?.length ? types : FEED_EVENT_TYPES,
    limit,
  });
  return Response.json({ data: await presentEvents(db, merchantId, page.rows), nextCursor: page.next ? encodeFeedCursor(page.next) : null });
});
