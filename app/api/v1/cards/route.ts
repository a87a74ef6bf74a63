// GET /api/v1/cards — find cards by phone, number, template or status, a page at a time
// POST /api/v1/cards — issue a card, one per phone per template unless `allowDuplicate` (send `Idempotency-Key` to make retries safe)
import { listCardsByKeyset } from "@/db/queries/cards-api";
import { decodeCursor, encodeCursor, inApiIssueTerms, loadApiCard, presentCard } from "@/lib/api/cards";
import { idempotent } from "@/lib/api/idempotency";
import { issueCardRequestSchema, listCardsQuerySchema } from "@/lib/api/schemas";
import { queryOf, readJson, withApiKey } from "@/lib/api/with-api-key";
import { issueCard } from "@/lib/cards";

export const GET = withApiKey("cards:read", async ({ db, merchantId, merchant }, request) => {
  const { cursor, limit, template, ...filters } = listCardsQuerySchema(merchant.country).parse(queryOf(request));
  const page = await listCardsByKeyset(db, merchantId, { ...filters, templateId: template }, { after: cursor ? decodeCursor(cursor) : undefined, limit });
  return Response.json({ data: page.rows.map(presentCard), nextCursor: page.next ? encodeCursor(page.next) : null });
});

export const POST = withApiKey("cards:write", async ({ db, merchantId, merchant, actor }, request) => {
  const body = await readJson(request);
  const input = issueCardRequestSchema(merchant.country).parse(body.value);
  return idempotent(db, merchantId, request, body.text, async (tx) => {
    const card = await issueCard(tx, merchantId, actor, input).catch((err: unknown) => inApiIssueTerms(tx, merchantId, err));
    return { status: 201, body: await loadApiCard(tx, merchantId, card.id) };
  });
});
