// GET /api/v1/forms/{id}/submissions — the answers customers sent through the form, newest first, a page at a time
import { listSubmissionsQuerySchema, presentSubmission } from "@/lib/api/forms";
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/api/cursor";
import { pathId } from "@/lib/api/webhooks";
import { queryOf, withApiKey } from "@/lib/api/with-api-key";
import { listSubmissions } from "@/lib/forms/submissions";

export const GET = withApiKey<{ id: string }>("forms:read", async ({ db, merchantId }, request, { id }) => {
  const { cursor, limit } = listSubmissionsQuerySchema.parse(queryOf(request));
  const page = await listSubmissions(db, merchantId, pathId(id), { limit, after: cursor ? decodeTimeCursor(cursor) : undefined });
  return Response.json({ data: page.rows.map(presentSubmission), nextCursor: page.next ? encodeTimeCursor(page.next) : null });
});
