// GET /api/v1/cards/{id}/transactions — a card's point transactions, newest first, a page at a time
// POST /api/v1/cards/{id}/transactions — accrue, redeem or take a purchase (Idempotency-Key required); 202 when the customer's code is needed
import { decodeTransactionCursor, encodeTransactionCursor, presentTransaction, requiredIdempotencyKey } from "@/lib/api/ledger";
import { listTransactionsQuerySchema } from "@/lib/api/ledger-schemas";
import { queryOf, readJson, withApiKey } from "@/lib/api/with-api-key";
import { parseTillPost, tillContextOf, tillOutcomeResponse } from "@/lib/api/till";
import { listCardTransactions } from "@/lib/ledger";
import { postAtTill } from "@/lib/till/post";

type Params = { id: string };

export const GET = withApiKey<Params>("ledger:read", async ({ db, merchantId }, request, { id }) => {
  const { cursor, limit } = listTransactionsQuerySchema.parse(queryOf(request));
  const page = await listCardTransactions(db, merchantId, id, { after: cursor ? decodeTransactionCursor(cursor) : undefined, limit });
  return Response.json({ data: page.rows.map(presentTransaction), nextCursor: page.next ? encodeTransactionCursor(page.next) : null });
});

export const POST = withApiKey<Params>("pos:write", async (ctx, request, { id }) => {
  const idempotencyKey = requiredIdempotencyKey(request);
  const input = parseTillPost((await readJson(request)).value);
  return tillOutcomeResponse(await postAtTill(ctx.db, tillContextOf(ctx, request), { ...input, cardId: id, idempotencyKey }));
});
